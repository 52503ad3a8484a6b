#!/usr/bin/env bash
# 100 concurrent SSH sessions for 60 s against the reference archive
# (1,000,000 paragraphs in 10,000 sessions, built once and kept in
# $KURULTAI_BENCH_DIR). The server and the clients are separate processes;
# each client browses, reads and searches, and every key is timed to the
# first output that answers it. The served archive is replaced SWAPS times
# while they run (a copy with one session more, renamed into place), and
# the server must move to each without dropping anyone.
# Usage: bench/ssh-load.sh [CLIENTS] [DURATION] [SWAPS]
#
# bench/ssh-load.sh shared [CLIENTS] [DURATION] [KILL] runs two servers of
# the reference archive that share readers' state in one PostgreSQL (a
# throwaway cluster made here with initdb), CLIENTS sessions on each (50),
# every session bookmarking as it reads; KILL (20s) into the run the first
# server is killed with SIGKILL and started again, and its sessions
# reconnect. Every bookmark a session saw acknowledged must be in
# PostgreSQL at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/reference.sh
if [ "${1:-}" = shared ]; then
  pgbin=$(dirname "$(readlink -f "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1)")")
  pgdir=$(mktemp -d)
  as=()
  if [ "$(id -u)" = 0 ]; then chown nobody "$pgdir"; as=(runuser -u nobody --); fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as[@]}" "$pgbin/initdb" -D "$pgdir/data" -U kurultai --auth=trust -E UTF8 --locale=C >/dev/null
  "${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200" \
    -l "$pgdir/log" -w start >/dev/null
  trap '"${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null; rm -rf "$pgdir"' EXIT
  "$pgbin/psql" -X -q -h 127.0.0.1 -p "$port" -U kurultai -d postgres -c 'CREATE DATABASE kurultai'
  timeout 900 go run -tags fts5 ./bench/sharedload -bin "$k" -archive "$db" -state "postgres://kurultai@127.0.0.1:$port/kurultai" \
    -clients "${2:-50}" -duration "${3:-60s}" -kill "${4:-20s}"
  exit
fi
timeout 600 go run -tags fts5 ./bench/sshload -bin "$k" -archive "$db" \
  -clients "${1:-100}" -duration "${2:-60s}" -swaps "${3:-2}" ${SSHLOAD_PROFILE:+-cpuprofile "$SSHLOAD_PROFILE"}
