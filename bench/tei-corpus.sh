# Sourced by bench/crash.sh and bench/import-rate.sh, after they set dir
# (the benchmark folder), k (the kurultai binary) and utterances: makes,
# once, a ParlaMint-shaped TEI corpus of about that many utterances (the
# generator writes about 0.4 utterances a paragraph) and keeps it in dir.
# Built under a temporary name and moved into place, so that an
# interrupted run leaves no half corpus to reuse. Sets paragraphs, corpus.
paragraphs=$(( utterances * 5 / 2 ))
corpus="$dir/tei-$paragraphs"
if [ ! -d "$corpus" ]; then
  echo "generating a TEI corpus of $paragraphs paragraphs (about $utterances utterances)…" >&2
  rm -rf "$corpus.tmp"
  "$k" gen --paragraphs "$paragraphs" --sessions $(( paragraphs / 400 + 1 )) --seed 1 \
    --shape transcript --format tei --out "$corpus.tmp" >/dev/null
  mv "$corpus.tmp" "$corpus"
fi
