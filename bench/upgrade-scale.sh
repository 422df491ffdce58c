#!/usr/bin/env bash
# Does an upgrade cost what changed, not what the repository holds?
# `scaffold upgrade` (and --dry-run) against `git merge-tree --write-tree` on
# the same three trees (pristine render, the team's HEAD, the new render),
# the floor for a 3-way merge of whole trees, in one hyperfine run.
#
# usage: bench/upgrade-scale.sh [copy-only|templated] [FILES]
#        (default: copy-only 1000, then templated 100)
# needs: hyperfine (apt), python3, git
#
# The golden path comes from make_fleet_templates.py: v2 changes 2% of the
# files; the team edits 20 files after generating at v1 (a quarter of the
# edits collide with v2's changes).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need hyperfine python3 git
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
scaffold="$root/target/release/scaffold"

cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=("copy-only 1000" "templated 100")
[ ${#cases[@]} -eq 2 ] && [[ "${cases[1]}" =~ ^[0-9]+$ ]] && cases=("${cases[0]} ${cases[1]}")
for case in "${cases[@]}"; do
  read -r kind n <<<"$case"
  w="$work/scale-$kind-$n"
  rm -rf "$w"; mkdir -p "$w"
  python3 "$here/make_fleet_templates.py" "$kind" "$n" "$w/src"
  "$scaffold" new "$w/src" "$w/repo" --version 1.0.0 --defaults -q
  python3 "$here/make_fleet_templates.py" edit "$w/repo" 20 1
  "$scaffold" new "$w/src" "$w/v2" --version 2.0.0 --defaults -q --no-git
  # The same three trees as commits, for git merge-tree: the pristine render
  # as the merge base, HEAD and the v2 render (with the lock) on top of it.
  (
    cd "$w/repo"
    base=$(git rev-parse refs/scaffold/pristine)
    theirs_tree=$(GIT_INDEX_FILE="$w/index.tmp" sh -c "git --work-tree='$w/v2' add -A && git write-tree")
    ours=$(git commit-tree -p "$base" -m ours "HEAD^{tree}")
    theirs=$(git commit-tree -p "$base" -m theirs "$theirs_tree")
    git update-ref refs/bench/ours "$ours"
    git update-ref refs/bench/theirs "$theirs"
    git update-ref refs/bench/pristine "$base"
  )
  # Each timed upgrade starts from the same state: files, index, lock and refs.
  reset="git -C $w/repo reset -q --hard && rm -rf $w/repo/.git/scaffold && git -C $w/repo update-ref refs/scaffold/pristine refs/bench/pristine && git -C $w/repo update-ref -d refs/scaffold/pending"
  echo "== $kind, $n files: $(git -C "$w/repo" diff --name-only refs/scaffold/pristine refs/bench/theirs | wc -l) changed by v2, 20 team edits"
  hyperfine -N --warmup 3 --runs 30 -i \
    --export-json "$w/result.json" \
    --command-name "git merge-tree --write-tree" "git -C $w/repo merge-tree --write-tree refs/bench/ours refs/bench/theirs" \
    --command-name "scaffold upgrade --dry-run" "$scaffold upgrade $w/repo --dry-run" \
    --prepare "sh -c '$reset'" \
    --command-name "scaffold upgrade" "$scaffold upgrade $w/repo -q"
  python3 - "$w/result.json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
floor = statistics.median(results[0]["times"])
for r in results:
    m = statistics.median(r["times"])
    print(f"  {r['command']:<30} median {m*1000:7.1f} ms   {m/floor:5.1f}x git merge-tree")
PY
done
