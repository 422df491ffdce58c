#!/usr/bin/env bash
# Benchmark `scaffold new` against copier, kickstart and `cp -r` in one hyperfine run.
#
# usage: bench/new.sh [FILES ...]        (default: 100 1000)
# needs: hyperfine (apt), copier (pip install copier), kickstart (cargo install --locked kickstart --features cli)
#
# For each size it writes one template in three equivalent forms
# (make_templates.py), checks that all three tools render the same tree,
# then times them. Ratios are what to quote: this machine is shared and noisy.
# The work folder defaults to tmpfs; see bench/lib.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need hyperfine copier kickstart python3
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
scaffold="$root/target/release/scaffold"
mkdir -p "$work"

for n in $(sizes "$@"); do
  tpl="$work/t$n" out="$work/out$n" ref="$work/ref$n"
  rm -rf "$tpl" "$out" "$ref" "$work/check$n"
  python3 "$here/make_templates.py" "$n" "$tpl" >/dev/null

  # Same output from all three (kickstart loses the exec bit: reported, not fatal).
  "$scaffold" new "$tpl/scaffold" "$ref" --defaults --no-git -q
  copier copy --defaults --quiet "$tpl/copier" "$work/check$n/copier" >/dev/null
  kickstart "$tpl/kickstart" -o "$work/check$n/kickstart" --no-input >/dev/null
  for peer in copier kickstart; do
    diff -r -q --exclude=.scaffold "$ref" "$work/check$n/$peer" >/dev/null \
      || { echo "bench/new.sh: $peer rendered a different tree than scaffold" >&2; exit 1; }
  done
  [ -x "$ref/scripts/run.sh" ] && echo "exec bit kept by scaffold: yes"
  [ -x "$work/check$n/kickstart/scripts/run.sh" ] || echo "exec bit kept by kickstart: no"
  echo "== $(find "$ref" -type f -not -path '*/.scaffold/*' | wc -l) files, $(du -sk --exclude=.scaffold "$ref" | cut -f1) KiB"

  hyperfine --warmup 3 --min-runs 10 --style basic --export-json "$work/new-$n.json" \
    --prepare "rm -rf '$out'" \
    -n "scaffold new --no-git" "'$scaffold' new '$tpl/scaffold' '$out' --defaults --no-git -q" \
    -n "scaffold new (git init + commit)" "'$scaffold' new '$tpl/scaffold' '$out' --defaults -q" \
    -n "kickstart" "kickstart '$tpl/kickstart' -o '$out' --no-input" \
    -n "copier copy" "copier copy --defaults --quiet '$tpl/copier' '$out'" \
    -n "cp -r" "cp -r '$ref' '$out'" >/dev/null
  python3 "$here/summarize.py" "$work/new-$n.json" "scaffold new --no-git"
  echo
done
