#!/usr/bin/env bash
# Times the real kurultai binary in tmux on a 50,000-word speech at 100x40:
#   open:   from the enter that opens the speech to the screen showing it;
#   scroll: from a page-down key to the screen showing the new position.
# Each figure includes tmux's own latency (send-keys and capture-pane), so
# it is an upper bound on what the program itself takes.
# Usage: bench/reader-tmux.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
work=$(mktemp -d)
trap 'tmux -L kbench kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -tags fts5 -o "$work/kurultai" .
go run -tags fts5 ./bench/longspeech -out "$work/long.db" -words 50000

t() { tmux -L kbench "$@"; }
# A builtin pause of 1 ms between polls, so that polling does not starve
# the program being measured of CPU.
exec 9<> <(:)
pause() { read -r -t 0.001 -u 9 || true; }
now() { date +%s%N; }
# wait_for TEXT: poll the pane until it shows TEXT; prints the elapsed µs.
wait_for() {
  local start=$1 text=$2
  while ! t capture-pane -p -t k | grep -qF -- "$text"; do pause; done
  echo $(( ($(now) - start) / 1000 ))
}
position() { t capture-pane -p -t k | grep -o '¶ [0-9]*/[0-9]* · [0-9]*%' | tail -n1; }
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)\n", a[int((NR+1)/2)]/1000, a[int(NR*0.95+0.5)]/1000, a[NR]/1000, NR}'; }

t new-session -d -s k -x 100 -y 40 "XDG_DATA_HOME=$work $work/kurultai --archive $work/long.db --style dark"
t resize-window -t k -x 100 -y 40 2>/dev/null || true
start=$(now); wait_for "$start" "newest first" >/dev/null
t send-keys -t k Enter; wait_for "$(now)" "Speeches (1)" >/dev/null
t send-keys -t k Tab; wait_for "$(now)" "The long speech" >/dev/null

opens=()
for i in $(seq "$rounds"); do
  start=$(now); t send-keys -t k Enter
  opens+=("$(wait_for "$start" "¶ 1/")")
  t send-keys -t k Escape; wait_for "$(now)" "Speeches (1)" >/dev/null
done
echo "open 50,000-word speech (first is cold): first $(( ${opens[0]} / 1000 )) ms; $(printf '%s\n' "${opens[@]}" | stats)"

t send-keys -t k Enter; wait_for "$(now)" "¶ 1/" >/dev/null
scrolls=()
for i in $(seq "$rounds"); do
  before=$(position)
  start=$(now); t send-keys -t k PageDown
  while [ "$(position)" = "$before" ]; do pause; done
  scrolls+=($(( ($(now) - start) / 1000 )))
done
echo "page down, key to frame: $(printf '%s\n' "${scrolls[@]}" | stats)"
t send-keys -t k q

# tmux's own round trip, for scale: a key typed into cat until it shows.
t new-session -d -s echo -x 100 -y 40 cat
echos=()
for i in $(seq "$rounds"); do
  start=$(now); t send-keys -t echo "x$i"
  while ! t capture-pane -p -t echo | grep -qx "x$i"; do pause; done
  echos+=($(( ($(now) - start) / 1000 )))
  t send-keys -t echo Enter
done
echo "tmux round trip (cat): $(printf '%s\n' "${echos[@]}" | stats)"
