#!/usr/bin/env bash
# Drives `kurultai serve` with the real OpenSSH client in tmux, as a person
# would: two keys, the UI in a PTY, a bookmark, exports on stdout, a
# resize, the refusals, and a SIGTERM while a reader is connected.
# Exits non-zero at the first thing that is not as it should be.
# Usage: bench/ssh-openssh.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in tmux ssh ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 0; }
done
work=$(mktemp -d)
port=$(( 20000 + RANDOM % 20000 ))
trap 'tmux -L kssh kill-server 2>/dev/null || true; kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -tags fts5 -o "$work/kurultai" .
ssh-keygen -q -t ed25519 -N '' -f "$work/a"
ssh-keygen -q -t ed25519 -N '' -f "$work/b"
cat "$work/a.pub" "$work/b.pub" > "$work/allowed"
ssh-keygen -q -t ed25519 -N '' -f "$work/stranger"

XDG_DATA_HOME="$work/data" "$work/kurultai" serve --listen "127.0.0.1:$port" \
  --authorized-keys "$work/allowed" --data-dir "$work/srv" 2> "$work/log" &
server=$!
for _ in $(seq 100); do grep -q msg=serving "$work/log" && break; sleep 0.1; done

opts=(-q -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -p "$port")
as() { local who=$1; shift; ssh "${opts[@]}" -i "$work/$who" 127.0.0.1 "$@"; }
fail() { echo "FAIL: $*"; echo "--- server log:"; cat "$work/log"; exit 1; }
t() { tmux -L kssh "$@"; }
wait_for() {
  for _ in $(seq 200); do t capture-pane -p -t k 2>/dev/null | grep -qF -- "$1" && return 0; sleep 0.05; done
  t capture-pane -p -t k 2>/dev/null || true; fail "the screen never showed: $1"
}

[ "$(stat -c %a "$work/srv/host_ed25519")" = 600 ] || fail "host key mode is not 0600"
if as stranger sessions 2>/dev/null; then fail "an unlisted key was admitted"; fi

t new-session -d -s k -x 100 -y 30 "ssh ${opts[*]} -t -i $work/a 127.0.0.1"
t set-option -t k remain-on-exit on # to read the farewell after the server stops
wait_for "newest first"
t send-keys -t k Enter; wait_for "Speeches (3)"
t send-keys -t k Tab Enter; wait_for "¶ 1"
t send-keys -t k ']' b; wait_for "note:"
t send-keys -t k -l 'read over ssh'; t send-keys -t k Enter
t send-keys -t k -l 'remote'; t send-keys -t k Enter
wait_for "Bookmarked ¶ 2"
t resize-window -t k -x 60 -y 20; sleep 0.3
t capture-pane -p -t k | grep -qE 'grown by 6\.5% *$' || fail "the UI did not re-wrap ¶ 2 to 60 columns"

as a export --format md > "$work/a.md"
grep -q "read over ssh" "$work/a.md" || fail "key a's export lacks its bookmark"
as b export --format md > "$work/b.md"
[ ! -s "$work/b.md" ] || fail "key b's export shows key a's bookmark"
as a search Kyzylorda --json | grep -q '"session"' || fail "search --json over ssh"
code=0; as a rm -rf / 2> "$work/err" || code=$?
[ "$code" = 2 ] && grep -q "not a command here" "$work/err" || fail "an unknown command was not refused with status 2"
out=$(ssh "${opts[@]}" -T -i "$work/a" 127.0.0.1 < /dev/null || true)
case "$out" in *"ssh -t"*) ;; *) fail "no hint without a PTY: $out" ;; esac

# The attacks on remote arguments, with the real client: -o hidden behind
# a "--" that is a flag's value, and an empty --archive with a home folder
# sent by the client (SetEnv). Nothing may be written or opened outside the
# server's data folder, and the served archive must not change.
served="$work/data/kurultai/archive.db"
before=$(sha256sum "$served")
mkdir -p "$work/evil"
code=0; as a export --tag -- -o "$work/victim" 2> "$work/err" || code=$?
[ "$code" = 2 ] && grep -q "not offered over SSH" "$work/err" && [ ! -e "$work/victim" ] \
  || fail "export --tag -- -o was not refused: status $code, $(cat "$work/err")"
code=0; as a export --session -- -o "$served" 2> "$work/err" || code=$?
[ "$code" = 2 ] || fail "export --session -- -o ARCHIVE was not refused: status $code"
code=0; ssh "${opts[@]}" -o SetEnv="XDG_DATA_HOME=$work/evil HOME=$work/evil" -i "$work/a" 127.0.0.1 \
  search -- gen --archive= > /dev/null 2>&1 || code=$?
[ "$code" -le 1 ] || fail "search -- gen --archive= with SetEnv: status $code"
code=0; ssh "${opts[@]}" -o SetEnv="XDG_DATA_HOME=$work/evil HOME=$work/evil" -i "$work/a" 127.0.0.1 \
  sessions --archive= 2> "$work/err" > /dev/null || code=$?
[ "$code" = 2 ] || fail "sessions --archive= was not refused: status $code"
[ -z "$(ls -A "$work/evil")" ] || fail "a client's SetEnv made the server write: $(ls -R "$work/evil")"
[ "$(sha256sum "$served")" = "$before" ] || fail "the served archive changed"
grep -q 'args="\\"export\\" \\"--tag\\" \\"--\\" \\"-o\\"' "$work/log" || fail "the log does not record the command's arguments"

start=$(date +%s%N)
kill -TERM "$server"
wait "$server" || fail "the server exited with an error"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 5000 ] || fail "shutdown took $ms ms"
wait_for "Please connect again later"
echo "ok: OpenSSH client session, bookmarks per key, exports, refusals, shutdown in $ms ms"

# ---- PTY size (issue 11) ---------------------------------------------------
# A client may claim any terminal size; the server serves at most 500×300.
# `stty rows 5000 cols 5000` before a stock `ssh -t` once took the server past
# 3 GB in seconds, and it kept allocating after the client had gone. Here the
# size is claimed at the start and again by a window change to 65535×65535;
# the server's peak RSS must stay under $rss_cap_mb MB and the session must work.
rss_cap_mb=200
XDG_DATA_HOME="$work/data" "$work/kurultai" serve --listen "127.0.0.1:$port" \
  --authorized-keys "$work/allowed" --data-dir "$work/srv" 2> "$work/log" &
server=$!
for _ in $(seq 100); do grep -q msg=serving "$work/log" && break; sleep 0.1; done
peak_mb() { awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$server/status"; }
t kill-session -t k
t new-session -d -s k -x 100 -y 30 "stty rows 5000 cols 5000; ssh ${opts[*]} -t -i $work/a 127.0.0.1"
t set-option -t k remain-on-exit on
wait_for "newest first"
grep -q 'msg=browse .*width=500 height=300' "$work/log" || fail "a 5000×5000 terminal was not served at 500×300"
# Setting the size of the pane's terminal sends ssh a SIGWINCH, and ssh sends
# the server a window change.
stty -F "$(t display-message -p -t k '#{pane_tty}')" rows 65535 cols 65535
sleep 1
mb=$(peak_mb)
[ "$mb" -lt "$rss_cap_mb" ] || fail "the server's RSS reached $mb MB with a 5000×5000 and a 65535×65535 terminal"
# Back to the pane's own size, the session goes on as usual.
t resize-window -t k -x 100 -y 31
wait_for "newest first"
t send-keys -t k Enter; wait_for "Speeches (3)"
t send-keys -t k q
for _ in $(seq 100); do [ "$(t display-message -p -t k '#{pane_dead}')" = 1 ] && break; sleep 0.05; done
[ "$(t display-message -p -t k '#{pane_dead}')" = 1 ] || fail "the session did not end with q"
for _ in $(seq 100); do grep -q 'msg=left' "$work/log" && break; sleep 0.05; done
grep -q 'msg=left' "$work/log" || fail "the server did not end the session"
kill -TERM "$server"; wait "$server" || fail "the server exited with an error"
echo "ok: a 5000×5000 then 65535×65535 terminal is served at 500×300; peak RSS $mb MB (cap $rss_cap_mb MB)"
