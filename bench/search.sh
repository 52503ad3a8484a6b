#!/usr/bin/env bash
# Search speed on the reference archive: 1,000,000 paragraphs in 10,000
# sessions from kurultai gen (built once, kept in $KURULTAI_BENCH_DIR).
#   - the 53-query set of data/bench_search_test.go: first page, exact
#     count and exact facets, p50/p95 over the set;
#   - --all over every result of the commonest word, as text, JSON and
#     CSV: rows a second and peak RSS;
#   - the whole `kurultai search` process against `rg -i` over the same
#     text exported as one file per speech (Debian's ripgrep);
#   - peak RSS of a search against a process that opens the archive and
#     lists its sessions.
# Usage: bench/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/reference.sh
if [ ! -d "$dir/export" ]; then
  echo "exporting one file per speech for rg…"
  "$k" dump --format markdown --archive "$db" -o "$dir/export" >/dev/null
fi
if ! command -v rg >/dev/null; then
  apt-get install -y ripgrep >/dev/null 2>&1 || { echo "needs ripgrep: apt-get install ripgrep" >&2; exit 2; }
fi

echo "== query set (go test -bench SearchQueries)"
KURULTAI_BENCH_ARCHIVE="$db" go test -tags fts5 -run '^$' -bench SearchQueries -benchtime 1x ./data | grep Benchmark

echo "== --all: every result of 'parliament' (wall time, rows/s, peak RSS)"
n=$("$k" search --archive "$db" --count parliament)
for fmt in text --json --csv; do
  f=$fmt; [ "$fmt" = text ] && f=
  /usr/bin/time -f "%e %M" -o "$dir/all-time" "$k" search --archive "$db" --all $f parliament >/dev/null 2>&1 || true
  read -r secs kb < <(tail -n1 "$dir/all-time")
  awk -v f="$fmt" -v n="$n" -v s="$secs" -v kb="$kb" 'BEGIN { printf "%-7s %d rows in %.2f s: %d rows/s, peak RSS %d MB\n", f, n, s, n / s, kb / 1024 }'
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # runs a command 5 times, prints the median wall time in ms
  for i in 1 2 3 4 5; do
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | median
}
echo "== kurultai search against rg -i (median of 5 runs, warm page cache)"
printf "%-14s %12s %10s %8s\n" query kurultai rg speedup
for q in referendum парламент forinnaal; do
  timeit rg -i "$q" "$dir/export" >/dev/null
  ks=$(timeit "$k" search --archive "$db" --limit 50 "$q")
  rs=$(timeit rg -i "$q" "$dir/export")
  awk -v q="$q" -v k="$ks" -v r="$rs" 'BEGIN { printf "%-14s %9d ms %7d ms %7.0fx\n", q, k, r, r / (k > 0 ? k : 1) }'
done

echo "== memory"
/usr/bin/time -f "%M" -o "$dir/rss-base" "$k" stats --archive "$db" >/dev/null
/usr/bin/time -f "%M" -o "$dir/rss-search" "$k" search --archive "$db" --limit 50 parliament >/dev/null
awk -v b="$(tail -n1 "$dir/rss-base")" -v s="$(tail -n1 "$dir/rss-search")" \
  'BEGIN { printf "peak RSS: kurultai stats %d MB, kurultai search %d MB: search adds %d MB\n", b/1024, s/1024, (s-b)/1024 }'
