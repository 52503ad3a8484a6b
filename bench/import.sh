#!/usr/bin/env bash
# Measures import and generation with the real binary:
#   - TEI import speed (utterances a second) and peak memory, on a
#     synthetic ParlaMint-shaped corpus of PARAGRAPHS segs, and on one twice
#     that size, to show that memory stays flat;
#   - gen of a 1,000,000-paragraph archive: time and peak memory.
# Needs GNU time at /usr/bin/time (Debian package "time").
# Usage: bench/import.sh [PARAGRAPHS]
set -euo pipefail
cd "$(dirname "$0")/.."
paragraphs=${1:-400000}
if [ ! -x /usr/bin/time ]; then
  echo "bench/import.sh needs GNU time: apt-get install time" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -tags fts5 -o "$work/kurultai" .
k="$work/kurultai"

measure() { # LABEL COMMAND...: prints wall seconds and peak RSS in MB
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
  read -r secs kb < "$work/time"
  echo "$label $secs $(( kb / 1024 ))"
}

for n in "$paragraphs" $(( paragraphs * 2 )); do
  sessions=$(( n / 400 ))
  "$k" gen --paragraphs "$n" --sessions "$sessions" --shape transcript --format tei --out "$work/tei-$n" >/dev/null
  size=$(du -sm "$work/tei-$n" | cut -f1)
  read -r _ secs mb < <(measure import "$k" import --quiet --archive "$work/tei-$n.db" "$work/tei-$n")
  utters=$("$k" stats --json --archive "$work/tei-$n.db" | grep '"speeches"' | grep -o '[0-9]*')
  awk -v u="$utters" -v s="$secs" -v mb="$mb" -v p="$n" -v size="$size" \
    'BEGIN { printf "TEI import: %d segs, %d utterances, %d MB of XML: %.1f s, %.0f utterances/s, peak RSS %d MB\n", p, u, size, s, u/s, mb }'
  rm -rf "$work/tei-$n" "$work/tei-$n.db"*
done

read -r _ secs mb < <(measure gen "$k" gen --paragraphs 1000000 --sessions 10000 --out "$work/gen.db")
echo "gen: 1,000,000 paragraphs in 10,000 sessions: ${secs} s, peak RSS ${mb} MB"
