#!/usr/bin/env bash
# Kills a large import with SIGKILL at random moments and checks that the
# archive is exactly as it was: an import is one SQLite transaction (in
# write-ahead-log mode), so nothing of an unfinished one may remain.
#   - a base archive from the built-in sample, and a digest of what it
#     holds that does not depend on the file's page layout: every table
#     (the search index's own tables too) dumped row by row in order with
#     sqlite3, kurultai dump, kurultai stats, and kurultai search --count
#     for a few queries; PRAGMA integrity_check must say ok;
#   - a ParlaMint-shaped TEI corpus of about UTTERANCES utterances, made
#     once and kept in $KURULTAI_BENCH_DIR (default /tmp/kurultai-bench);
#   - one whole import into a copy of the base, to learn its duration D;
#   - KILLS times: a fresh copy of the base, the import started and
#     killed at a random moment uniformly in [5% D, 95% D]; then the
#     archive must open, pass PRAGMA integrity_check and have the base's
#     digest. One line a kill, then a summary; exit 1 on any difference.
# The working copies are made in a temporary folder in $KURULTAI_BENCH_DIR
# (an import of 1,000,000 utterances takes several GB there) and removed.
# Needs the sqlite3 command (Debian package "sqlite3").
# Usage: bench/crash.sh [--utterances N] [--kills K] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
utterances=1000000
kills=10
seed=1
while [ $# -gt 0 ]; do
  case $1 in
    --utterances) utterances=${2:?--utterances needs a number}; shift 2 ;;
    --kills) kills=${2:?--kills needs a number}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    *) echo "usage: bench/crash.sh [--utterances N] [--kills K] [--seed S]" >&2; exit 2 ;;
  esac
done
for n in "$utterances" "$kills" "$seed"; do
  case $n in
    ''|*[!0-9]*) echo "bench/crash.sh: $n is not a whole number" >&2; exit 2 ;;
  esac
done
if [ "$utterances" -lt 1 ] || [ "$kills" -lt 1 ]; then
  echo "bench/crash.sh: --utterances and --kills must be at least 1" >&2
  exit 2
fi
if ! command -v sqlite3 >/dev/null; then
  echo "bench/crash.sh needs the sqlite3 command: apt-get install sqlite3" >&2
  exit 2
fi
dir=${KURULTAI_BENCH_DIR:-/tmp/kurultai-bench}
mkdir -p "$dir"
work=$(mktemp -d "$dir/crash.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
go build -tags fts5 -o "$work/kurultai" .
k="$work/kurultai"

. bench/tei-corpus.sh

# The base archive; kept as the import left it, never opened again: every
# check is made on a copy.
"$k" import --quiet --archive "$work/base.db" sessions/sample >/dev/null
if [ -e "$work/base.db-wal" ]; then
  echo "bench/crash.sh: the base archive kept a write-ahead log after its import" >&2
  exit 1
fi
base_sha=$(sha256sum < "$work/base.db" | cut -d' ' -f1)

queries=(kurultai referendum parliament budget 'speaker:tokayev' 'lang:kk')

# digest ARCHIVE: a sha256 of what the archive holds, not of its pages.
digest() {
  local a=$1 q n t cols script
  {
    "$k" stats --json --archive "$a"
    for q in "${queries[@]}"; do
      # search exits 1 when nothing is found, 2 on an error.
      n=$("$k" search --count --archive "$a" "$q") || [ $? -eq 1 ]
      echo "search $q: $n"
    done
    "$k" dump --archive "$a" -o "$work/dump.json" --force >/dev/null
    cat "$work/dump.json"
    # Every table but the virtual one (whose rows are in its shadow
    # tables, dumped here, and which this sqlite3 may be too old to
    # open), each in the order of all its columns, values quoted.
    script=".mode quote"$'\n'
    while read -r t cols; do
      script+="SELECT 'table $t';"$'\n'"SELECT * FROM \"$t\" ORDER BY $(seq -s, 1 "$cols");"$'\n'
    done < <(sqlite3 "$a" "SELECT name, (SELECT count(*) FROM pragma_table_info(m.name)) FROM sqlite_master m
      WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name" | tr '|' ' ')
    sqlite3 -bail "$a" <<< "$script"
  } | sha256sum | cut -d' ' -f1
}

# check ARCHIVE: opens it as kurultai would, runs integrity_check and
# prints the digest; prints why and fails if any of that fails.
check() {
  local a=$1 ic
  if ! "$k" sessions --json --archive "$a" >/dev/null 2>"$work/open.err" ||
     ! "$k" stats --archive "$a" >/dev/null 2>>"$work/open.err"; then
    echo "does not open: $(tr '\n' ' ' < "$work/open.err")"
    return 1
  fi
  ic=$(sqlite3 "$a" 'PRAGMA integrity_check' 2>&1 | tr '\n' ' ') || true
  if [ "$ic" != "ok " ]; then
    echo "integrity_check: $ic"
    return 1
  fi
  digest "$a"
}

speeches() { "$k" stats --json --archive "$1" | grep '"speeches"' | grep -o '[0-9]*'; }
cp "$work/base.db" "$work/ref.db"
if ! base_digest=$(check "$work/ref.db"); then
  echo "bench/crash.sh: the base archive fails its own checks: $base_digest" >&2
  exit 1
fi
base_speeches=$(speeches "$work/ref.db")
rm -f "$work"/ref.db*
echo "base archive: file sha256 $base_sha, content digest $base_digest"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# One whole import, to learn D.
cp "$work/base.db" "$work/full.db"
start=$(now)
"$k" import --quiet --archive "$work/full.db" "$corpus" >/dev/null
D=$(elapsed "$start" "$(now)")
added=$(( $(speeches "$work/full.db") - base_speeches ))
rm -f "$work"/full.db*
echo "whole import: $added utterances in $D s"
if [ "$added" -le 0 ]; then
  echo "bench/crash.sh: the whole import added nothing" >&2
  exit 1
fi

# The moments, seeded: uniform in [5% D, 95% D].
mapfile -t moments < <(awk -v s="$seed" -v n="$kills" -v d="$D" \
  'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.3f\n", d * (0.05 + 0.9 * rand()) }')

killed=0 unchanged=0 missed=0 failed=0
for i in $(seq 1 "$kills"); do
  moment=${moments[$((i - 1))]}
  a="$work/kill.db"
  rm -f "$a" "$a-wal" "$a-shm"
  cp "$work/base.db" "$a"
  start=$(now)
  "$k" import --quiet --archive "$a" "$corpus" >/dev/null 2>"$work/import.err" &
  pid=$!
  sleep "$moment"
  kill -KILL "$pid" 2>/dev/null || true
  at=$(elapsed "$start" "$(now)")
  status=0
  { wait "$pid"; } 2>/dev/null || status=$?
  pid=
  wal=$(stat -c %s "$a-wal" 2>/dev/null || echo 0)
  pct=$(awk -v a="$at" -v d="$D" 'BEGIN { printf "%.0f", a * 100 / d }')
  line="kill $i/$kills at $at s ($pct% of D), WAL $(mb "$wal") MB:"
  case $status in
    137) ;;
    0)
      echo "$line the import had already finished; not counted"
      missed=$(( missed + 1 ))
      continue ;;
    *)
      echo "$line the import failed on its own (exit $status): $(tr '\n' ' ' < "$work/import.err")"
      failed=$(( failed + 1 ))
      continue ;;
  esac
  killed=$(( killed + 1 ))
  # The file itself, before anything opens it: an unfinished transaction
  # lives in the WAL only.
  if [ "$(sha256sum < "$a" | cut -d' ' -f1)" = "$base_sha" ]; then file="file identical"; else file="file bytes differ"; fi
  if ! got=$(check "$a"); then
    echo "$line $got"
    failed=$(( failed + 1 ))
  elif [ "$got" != "$base_digest" ]; then
    echo "$line opens, integrity ok, CONTENT CHANGED (digest $got), $file"
    failed=$(( failed + 1 ))
  else
    echo "$line opens, integrity ok, content unchanged, $file"
    unchanged=$(( unchanged + 1 ))
  fi
  rm -f "$a" "$a-wal" "$a-shm"
done

summary="$killed kills, $unchanged archives unchanged"
if [ "$missed" -gt 0 ]; then
  if [ "$missed" -eq 1 ]; then
    summary+=" (1 import finished before its moment and was not killed)"
  else
    summary+=" ($missed imports finished before their moment and were not killed)"
  fi
fi
echo "$summary"
[ "$failed" -eq 0 ]
