#!/usr/bin/env bash
# An indexed TEI import of a ParlaMint-shaped corpus of about UTTERANCES
# utterances (default 1,000,000; the corpus is made once and kept in
# $KURULTAI_BENCH_DIR, default /tmp/kurultai-bench, by bench/tei-corpus.sh,
# which bench/crash.sh shares), RUNS times into a new archive: for each, the wall
# time, utterances a second, peak RSS, and the import's rate over its first
# fifth of its writing against the last fifth (from the progress lines
# it prints each second, timed as they come), which must stay at 70% or
# more, and the time it then takes to merge the index and commit.
# Needs GNU time at /usr/bin/time (Debian package "time").
# Usage: bench/import-rate.sh [UTTERANCES [RUNS]]
set -euo pipefail
cd "$(dirname "$0")/.."
utterances=${1:-1000000}
runs=${2:-3}
if [ ! -x /usr/bin/time ]; then
  echo "bench/import-rate.sh needs GNU time: apt-get install time" >&2
  exit 2
fi
dir=${KURULTAI_BENCH_DIR:-/tmp/kurultai-bench}
mkdir -p "$dir"
work=$(mktemp -d "$dir/rate.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -tags fts5 -o "$work/kurultai" .
k="$work/kurultai"
. bench/tei-corpus.sh
for run in $(seq "$runs"); do
  rm -f "$work"/a.db*
  # Each progress line, with the time it came.
  /usr/bin/time -f "%e %M" -o "$work/time" "$k" import --archive "$work/a.db" "$corpus" 2>&1 >/dev/null \
    | while IFS= read -r line; do echo "$(date +%s.%N) $line"; done > "$work/progress"
  read -r secs kb < "$work/time"
  utters=$("$k" stats --json --archive "$work/a.db" | grep '"speeches"' | grep -o '[0-9]*')
  python3 - "$work/progress" "$secs" "$kb" "$utters" "$run" <<'PY'
import re, sys
path, secs, kb, utters, run = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
pts, end = [], None
for line in open(path):
    m = re.match(r"(\d+\.\d+) import: (\d+)/(\d+) files · ([\d,]+) records", line)
    if not m:
        continue
    if m.group(2) == m.group(3):  # the last line, once everything is committed
        end = float(m.group(1))
        break
    pts.append((float(m.group(1)), int(m.group(4).replace(",", ""))))
t0 = pts[0][0] - 1.0  # the first line comes about a second in
span = pts[-1][0] - t0  # the writing, until the last file
def rate(a, b):
    # records a second between the lines nearest to fractions a and b of the span
    pa = min(pts, key=lambda p: abs(p[0] - t0 - a * span)) if a > 0 else (t0, 0)
    pb = min(pts, key=lambda p: abs(p[0] - t0 - b * span))
    return (pb[1] - pa[1]) / (pb[0] - pa[0])
first, last = rate(0, 0.2), rate(0.8, 1.0)
print(f"run {run}: {utters:,} utterances in {secs:.1f} s: {utters/secs:,.0f} utterances/s, peak RSS {kb//1024} MB; "
      f"writing {span:.1f} s, records/s over its first fifth {first:,.0f}, over its last {last:,.0f} ({100*last/first:.0f}%); "
      f"then {secs - span:.1f} s to merge the index, count the speakers and commit")
PY
done
