# Sourced by the benchmark scripts: builds kurultai into $dir and, once,
# the reference archive (1,000,000 paragraphs in 10,000 sessions), kept
# in $KURULTAI_BENCH_DIR (default /tmp/kurultai-bench). Sets dir, k, db.
dir=${KURULTAI_BENCH_DIR:-/tmp/kurultai-bench}
mkdir -p "$dir"
go build -tags fts5 -o "$dir/kurultai" .
k="$dir/kurultai"
db="$dir/gen-1m.db"
if [ ! -f "$db" ]; then
  echo "building the reference archive (about two minutes)…"
  "$k" gen --paragraphs 1000000 --sessions 10000 --seed 1 --out "$db" >/dev/null
fi
# Merges the search index, and brings an archive made by an older
# kurultai up to the current schema.
"$k" archive optimize --archive "$db" >/dev/null
# Reads the archive once so that the figures are for a warm page cache,
# as on a server that has been serving it a while (a cold read of the
# reference archive takes about 12 s here).
cat "$db" > /dev/null
