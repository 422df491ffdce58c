#!/usr/bin/env bash
# Steps bench/fleet.sh times or runs between timings, one per call:
#   fleet-steps.sh reset-remotes W   delete the scaffold branches of every remote
#   fleet-steps.sh reset-local W     put every local checkout back at 1.0.0
#   fleet-steps.sh reset-copier W    put every copier project back at 1.0.0
#   fleet-steps.sh loop-scaffold W SCAFFOLD   scaffold upgrade, one repository at a time
#   fleet-steps.sh loop-copier W     copier update, one project at a time
set -u
step=$1 w=$2
case "$step" in
  reset-remotes)
    for r in "$w"/remotes/*.git; do
      git -C "$r" for-each-ref --format='delete %(refname)' refs/heads/scaffold | git -C "$r" update-ref --stdin
    done ;;
  reset-local)
    for r in "$w"/repos/*; do
      git -C "$r" reset -q --hard && rm -rf "$r/.git/scaffold"
      git -C "$r" update-ref -d refs/scaffold/pending
      git -C "$r" update-ref refs/scaffold/pristine refs/bench/pristine
    done ;;
  reset-copier)
    for p in "$w"/copier/*; do git -C "$p" reset -q --hard && git -C "$p" clean -qfdx; done ;;
  loop-scaffold)
    for r in "$w"/repos/*; do "$3" upgrade "$r" -q || true; done ;;
  loop-copier)
    for p in "$w"/copier/*; do (cd "$p" && copier update --defaults --skip-answered --trust --quiet >/dev/null 2>&1 || true); done ;;
  *) echo "unknown step $step" >&2; exit 2 ;;
esac
