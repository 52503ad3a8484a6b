#!/usr/bin/env bash
# Measures import and generation with the real binary:
#   - TEI import speed (utterances a second) and peak memory, on a
#     synthetic ParlaMint-shaped corpus of PARAGRAPHS segs, and on one twice
#     that size, to show that memory stays flat;
#   - what importing the lists of persons and organisations adds;
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

# The lists of persons and organisations: the same corpus imported with
# them and with its root's includes of them taken out, three times each,
# alternating; the best of each.
"$k" gen --paragraphs "$paragraphs" --sessions $(( paragraphs / 400 )) --shape transcript --format tei --out "$work/lists" >/dev/null
root=$(ls "$work"/lists/*.xml | grep -v -- '-list' | head -1)
sed -e 's|<xi:include href="[^"]*-list[A-Za-z]*\.xml"/>||g' "$root" > "${root%.xml}-bare.xml"
with=9999; without=9999
for i in 1 2 3; do
  rm -f "$work"/lists-*.db*
  read -r _ secs _ < <(measure import "$k" import --quiet --archive "$work/lists-with.db" "$root")
  with=$(awk -v a="$with" -v b="$secs" 'BEGIN { print (b < a ? b : a) }')
  read -r _ secs _ < <(measure import "$k" import --quiet --archive "$work/lists-without.db" "${root%.xml}-bare.xml" 2>/dev/null)
  without=$(awk -v a="$without" -v b="$secs" 'BEGIN { print (b < a ? b : a) }')
done
people=$(grep -c '<person ' "$work"/lists/*-listPerson.xml)
awk -v w="$with" -v wo="$without" -v n="$people" \
  'BEGIN { printf "lists of persons and organisations (%d persons): %.1f s with, %.1f s without: %+.1f%%\n", n, w, wo, (w-wo)*100/wo }'
rm -rf "$work/lists" "$work"/lists-*.db*

read -r _ secs mb < <(measure gen "$k" gen --paragraphs 1000000 --sessions 10000 --out "$work/gen.db")
echo "gen: 1,000,000 paragraphs in 10,000 sessions: ${secs} s, peak RSS ${mb} MB"
