#!/usr/bin/env bash
# Speed of the research views on the reference archive (1,000,000
# paragraphs in 10,000 sessions, built once by bench/reference.sh): trend
# by year of a word in about half the paragraphs and of a rare word, who
# says it most for every query of the search set (p50, p95, slowest),
# the first screen of a concordance, and sorting 100,000 of its lines,
# the keywords of the speaker who said most against everyone else, and
# the collocates of a word in a tenth of the speech paragraphs.
# Each figure is its best of three (data/bench_research_test.go).
# Usage: bench/research.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/reference.sh
KURULTAI_BENCH_VERBOSE=${KURULTAI_BENCH_VERBOSE:-} KURULTAI_BENCH_ARCHIVE="$db" \
  go test -tags fts5 -run '^$' -bench Research -benchtime 1x ./data | grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\|ok\)'
