#!/usr/bin/env bash
# Tries search across scripts as a new user would, with the real binary in
# tmux on the built-in sample: the search screen, typing qurultai, must
# list Cyrillic paragraphs marked ≈ with құрылтай highlighted; enter opens
# the reader with the matches counted; find (/) with a Latin word finds
# the Cyrillic one. Prints each screen it checks; exits 1 on a failure.
# Usage: bench/scripts-tmux.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'tmux -L kscripts kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -tags fts5 -o "$work/kurultai" .
t() { tmux -L kscripts "$@"; }
# wait_for PATTERN: poll the pane for up to 10 s until it shows PATTERN
# (an extended regular expression).
wait_for() {
  for _ in $(seq 200); do
    if t capture-pane -p -t k | grep -qE -- "$1"; then return 0; fi
    sleep 0.05
  done
  echo "FAIL: the screen never showed \"$1\":" >&2
  t capture-pane -p -t k >&2
  exit 1
}
type_slowly() { local s=$1; for ((i = 0; i < ${#s}; i++)); do t send-keys -t k -l "${s:i:1}"; sleep 0.05; done; }

home=$work/home
mkdir -p "$home"
t new-session -d -s k -x 110 -y 30 "HOME=$home XDG_DATA_HOME=$home XDG_CONFIG_HOME=$home $work/kurultai --style dark"
wait_for "newest first"
t send-keys -t k C-g
wait_for "search:"
type_slowly qurultai
wait_for "≈"
wait_for "құрылтай"
t capture-pane -p -t k | sed -n 1,8p
# The match is highlighted: the pane's escape codes put a background on
# the Cyrillic word.
if ! t capture-pane -p -e -t k | grep -qE $'\e\\[[0-9;]*48;[0-9;]*m[^\e]*(құрылтай|Құрылтай)'; then
  echo "FAIL: құрылтай is not highlighted" >&2
  exit 1
fi
t send-keys -t k Enter
wait_for "match [0-9]+/[0-9]+"
t capture-pane -p -t k | tail -n 2 | head -n 1
t send-keys -t k Escape
sleep 0.2
t send-keys -t k /
type_slowly qyzylorda
t send-keys -t k Enter
wait_for "match [0-9]+/[0-9]+"
t send-keys -t k g n
sleep 0.3
t capture-pane -p -t k | tail -n 2 | head -n 1
if ! t capture-pane -p -e -t k | grep -qE $'\e\\[[0-9;]*48;[0-9;]*mҚызылорда'; then
  echo "FAIL: find does not highlight Қызылорда" >&2
  exit 1
fi
echo "PASS: qurultai finds and marks the Cyrillic paragraphs; the reader finds Қызылорда from qyzylorda"
