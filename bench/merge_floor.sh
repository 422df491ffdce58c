#!/usr/bin/env bash
# The textbook floor of an upgrade: `git merge-file` over every pre-rendered
# file (ours = the project, base = the old render, theirs = the new render).
# usage: merge_floor.sh OURS BASE THEIRS OUT
set -u
ours=$1 base=$2 theirs=$3 out=$4
cd "$theirs" || exit 2
find . -type f | while read -r f; do
  mkdir -p "$out/$(dirname "$f")"
  if [ -f "$base/$f" ] && [ -f "$ours/$f" ]; then
    git merge-file -p -L ours -L base -L theirs "$ours/$f" "$base/$f" "$f" > "$out/$f"
  else
    cp "$f" "$out/$f"
  fi
done
exit 0
