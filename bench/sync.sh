#!/usr/bin/env bash
# Measures kurultai sync from a server on the same machine, with the real
# binary and the real SSH server:
#   - a sync that brings 100 new sessions of about 100 speeches each
#     (ParlaMint-shaped utterances) into an archive that has none of them;
#   - a sync with nothing new;
#   - follow list with 50 follows after an import of 1,000 sessions.
# Prints the median of ROUNDS runs of each.
# Usage: bench/sync.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
go build -tags fts5 -o "$work/kurultai" .
k="$work/kurultai"

# 100 sessions of 25,000 utterances' paragraphs: about 100 speeches each.
"$k" gen --paragraphs 25000 --sessions 100 --shape transcript --out "$work/served.db" >/dev/null
speeches=$(sqlite3 "$work/served.db" "SELECT count(*) FROM speeches")
"$k" serve --archive "$work/served.db" --data-dir "$work/server" --listen 127.0.0.1:2399 >"$work/serve.log" 2>&1 &
echo $! > "$work/pid"
for _ in $(seq 50); do
  grep -q "listening" "$work/serve.log" 2>/dev/null && break
  sleep 0.1
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

full=() empty=()
for r in $(seq "$rounds"); do
  home="$work/reader-$r"
  mkdir -p "$home"
  export HOME="$home" XDG_DATA_HOME="$home/data"
  "$k" stats >/dev/null # the sample archive, made before the clock starts
  t0=$(now); "$k" sync --accept-new ssh://127.0.0.1:2399 >/dev/null 2>&1; t1=$(now)
  "$k" sync ssh://127.0.0.1:2399 >/dev/null; t2=$(now)
  full+=("$(echo "$t1 - $t0" | bc)") empty+=("$(echo "$t2 - $t1" | bc)")
done
echo "served: 100 sessions, $speeches speeches"
echo "sync of 100 new sessions: median $(printf '%s\n' "${full[@]}" | median) s over $rounds rounds"
echo "sync with nothing new:    median $(printf '%s\n' "${empty[@]}" | median) s over $rounds rounds"

# 50 follows, then an import of 1,000 sessions, then follow list.
home="$work/follower"
mkdir -p "$home"
export HOME="$home" XDG_DATA_HOME="$home/data"
"$k" stats >/dev/null
words=(referendum parliament reform constitution budget court president people state region
  education science council deputies law committee proposal kurultai session report
  заң халық мемлекет парламент реформа өңір білім ғылым құрылтай туралы
  "vice president" "the reform" "speaker:gen-speaker-001" "lang:kk" "lang:ru" "kind:timeline adopted"
  "parliament -senate" "budget OR court" "title:reform" "place:astana" "from:2020-01-01 reform"
  "reform*" "constitution lang:en" "kind:title" "people state" "law court" "region budget"
  "science education" "council proposal" "deputies budget" "report session")
test "${#words[@]}" -ge 50 || { echo "bench/sync.sh: fewer than 50 follows" >&2; exit 2; }
for w in "${words[@]:0:50}"; do "$k" follow add -- "$w" >/dev/null; done
"$k" gen --paragraphs 100000 --sessions 1000 --seed 7 --format json --out "$work/more.json" >/dev/null
sed -i 's/"gen-/"more-/g' "$work/more.json"
"$k" import --quiet "$work/more.json" >/dev/null
counts=()
for r in $(seq "$rounds"); do
  t0=$(now); "$k" follow list >/dev/null; t1=$(now)
  counts+=("$(echo "$t1 - $t0" | bc)")
done
echo "follow list, $("$k" follow list --json | grep -c '"id"') follows after an import of 1,000 sessions: median $(printf '%s\n' "${counts[@]}" | median) s over $rounds rounds"
