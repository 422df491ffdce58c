#!/usr/bin/env bash
# Benchmark `scaffold upgrade` against `copier update`, `cruft update` and a
# loop of `git merge-file` over pre-rendered files (the floor), in one run.
#
# usage: bench/upgrade.sh [FILES ...]        (default: 100 1000)
# needs: hyperfine (apt), copier and cruft (pip install copier cruft)
#
# One golden path in three forms (make_upgrade_templates.py), v1 -> v2; a
# project generated at v1 by each tool gets the same edits, some of which
# overlap v2's changes (conflicts). Before timing, scaffold's result is
# checked against the floor file by file: identical where git merges
# cleanly, a conflict where git reports one.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need hyperfine copier cruft python3 git
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
scaffold="$root/target/release/scaffold"
edit() { python3 "$here/make_upgrade_templates.py" edit "$1" "$2"; git -C "$2" commit -qam "team edits"; }

for n in $(sizes "$@"); do
  w="$work/upgrade$n"
  rm -rf "$w"; mkdir -p "$w"
  python3 "$here/make_upgrade_templates.py" templates "$n" "$w"

  "$scaffold" new "$w/scaffold-src" "$w/p-scaffold" --version 1.0.0 --defaults -q
  edit "$n" "$w/p-scaffold"
  pristine=$(git -C "$w/p-scaffold" rev-parse refs/scaffold/pristine)

  copier copy --defaults --quiet --vcs-ref v1.0.0 "$w/copier-src" "$w/p-copier" >/dev/null
  (cd "$w/p-copier" && git init -q -b main && git add -A && git commit -qm init)
  edit "$n" "$w/p-copier"

  mkdir -p "$w/cruft" && (cd "$w/cruft" && cruft create --no-input --checkout v1.0.0 "$w/cookiecutter-src" >/dev/null)
  (cd "$w/cruft/bench" && git init -q -b main && git add -A && git commit -qm init)
  edit "$n" "$w/cruft/bench"

  # Agreement with the floor, file by file.
  # The project before the upgrade (ours, for the floor), then scaffold's upgrade.
  git -C "$w/p-scaffold" worktree add -q --detach "$w/p-scaffold-orig" HEAD
  (cd "$w/p-scaffold" && "$scaffold" upgrade >/dev/null) || true
  bash "$here/merge_floor.sh" "$w/p-scaffold-orig" "$w/base" "$w/theirs" "$w/floor"
  python3 - "$w/p-scaffold" "$w/floor" <<'PY'
import os, sys
ours, floor = sys.argv[1], sys.argv[2]
clean = conflicted = 0
for dirpath, _, names in os.walk(floor):
    for name in names:
        f = os.path.join(dirpath, name)
        rel = os.path.relpath(f, floor)
        expected = open(f).read()
        actual = open(os.path.join(ours, rel)).read()
        if "<<<<<<<" in expected:
            conflicted += 1
            assert "<<<<<<<" in actual, f"{rel}: git conflicts, scaffold did not"
        else:
            clean += 1
            assert actual == expected, f"{rel}: differs from git merge-file"
print(f"agreement with git merge-file: {clean} clean files identical, {conflicted} conflicts reported by both")
PY

  reset_scaffold="git -C '$w/p-scaffold' reset -q --hard && git -C '$w/p-scaffold' clean -fdq && git -C '$w/p-scaffold' update-ref refs/scaffold/pristine $pristine && rm -rf '$w/p-scaffold/.git/scaffold' && (git -C '$w/p-scaffold' update-ref -d refs/scaffold/pending || true)"
  reset_copier="git -C '$w/p-copier' reset -q --hard && git -C '$w/p-copier' clean -fdq"
  reset_cruft="git -C '$w/cruft/bench' reset -q --hard && git -C '$w/cruft/bench' clean -fdq"
  echo "== $n files"
  hyperfine --ignore-failure --warmup 1 --min-runs 5 --style basic --export-json "$w/upgrade.json" \
    -n "scaffold upgrade" --prepare "$reset_scaffold" "cd '$w/p-scaffold' && '$scaffold' upgrade" \
    -n "git merge-file loop (floor)" --prepare "rm -rf '$w/floor'" "bash '$here/merge_floor.sh' '$w/p-scaffold-orig' '$w/base' '$w/theirs' '$w/floor'" \
    -n "cruft update" --prepare "$reset_cruft" "cd '$w/cruft/bench' && cruft update -y --checkout v2.0.0" \
    -n "copier update" --prepare "$reset_copier" "cd '$w/p-copier' && copier update --defaults --quiet --vcs-ref v2.0.0 --conflict inline" >/dev/null
  python3 "$here/summarize.py" "$w/upgrade.json" "scaffold upgrade"
  git -C "$w/p-scaffold" worktree remove --force "$w/p-scaffold-orig"
  echo
done
