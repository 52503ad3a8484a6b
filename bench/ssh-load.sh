#!/usr/bin/env bash
# 100 concurrent SSH sessions for 60 s against the reference archive
# (1,000,000 paragraphs in 10,000 sessions, built once and kept in
# $KURULTAI_BENCH_DIR). The server and the clients are separate processes;
# each client browses, reads and searches, and every key is timed to the
# first output that answers it. The served archive is replaced SWAPS times
# while they run (a copy with one session more, renamed into place), and
# the server must move to each without dropping anyone.
# Usage: bench/ssh-load.sh [CLIENTS] [DURATION] [SWAPS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/reference.sh
timeout 600 go run -tags fts5 ./bench/sshload -bin "$k" -archive "$db" \
  -clients "${1:-100}" -duration "${2:-60s}" -swaps "${3:-2}" ${SSHLOAD_PROFILE:+-cpuprofile "$SSHLOAD_PROFILE"}
