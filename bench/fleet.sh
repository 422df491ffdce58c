#!/usr/bin/env bash
# Benchmark `scaffold fleet upgrade` against the way teams do it today: a shell
# loop of `copier update` over the equivalent copier fleet, and a loop of
# `scaffold upgrade` (one process per repository).
#
# usage: bench/fleet.sh [N ...]            (default: 100 1000 repositories)
# needs: hyperfine (apt), copier (pip), python3, git, /usr/bin/time
#
# N repositories generated from one ~100-file golden path at 1.0.0 (each its
# own answers; every other one with the team's edits, some of which conflict
# with 2.0.0), each pushed to its own bare remote and listed by file:// URL.
# Timed, in one hyperfine run per N:
#   - scaffold fleet upgrade --jobs $(nproc)          (warm cache: a scheduled run)
#   - the same with --push to the bare remotes
#   - a loop of `scaffold upgrade` over local checkouts
#   - a loop of `copier update` over 10 copier projects, scaled by N/10 (said so)
# then the peak RSS of the fleet run, and, with several N, the scaling ratios.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need hyperfine copier python3 git /usr/bin/time
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
scaffold="$root/target/release/scaffold"
jobs=$(nproc)
files=100
summary="$work/fleet-summary.txt"
: > "$summary"

for n in $(sizes "$@"); do
  w="$work/fleet$n"
  rm -rf "$w"; mkdir -p "$w/repos" "$w/remotes" "$w/copier"
  python3 "$here/make_upgrade_templates.py" templates "$files" "$w" >/dev/null
  echo "== $n repositories: generating" >&2
  : > "$w/repos.txt"
  for i in $(seq 1 "$n"); do
    repo="$w/repos/r$i"
    "$scaffold" new "$w/scaffold-src" "$repo" --version 1.0.0 --defaults --set "project_name=p$i" -q
    if [ $((i % 2)) -eq 0 ]; then python3 "$here/make_upgrade_templates.py" edit "$files" "$repo"; git -C "$repo" commit -qam "team edits"; fi
    git init -q --bare -b main "$w/remotes/r$i.git"
    git -C "$repo" push -q "$w/remotes/r$i.git" HEAD:main
    echo "file://$w/remotes/r$i.git" >> "$w/repos.txt"
  done
  for i in $(seq 1 10); do
    p="$w/copier/p$i"
    copier copy --defaults --quiet --vcs-ref v1.0.0 -d "project_name=p$i" "$w/copier-src" "$p" >/dev/null
    (cd "$p" && git init -q -b main && git add -A && git commit -qm init)
    if [ $((i % 2)) -eq 0 ]; then python3 "$here/make_upgrade_templates.py" edit "$files" "$p"; git -C "$p" commit -qam "team edits"; fi
  done

  export XDG_CACHE_HOME="$w/cache"
  fleet="$scaffold fleet upgrade --repos $w/repos.txt --source $w/scaffold-src --jobs $jobs -q"
  # Every timed run starts from 1.0.0 (see fleet-steps.sh).
  steps="bash $here/fleet-steps.sh"
  for r in "$w"/repos/*; do git -C "$r" update-ref refs/bench/pristine refs/scaffold/pristine; done

  echo "== $n repositories: cold run (every clone made)" >&2
  /usr/bin/time -f "%e s wall, %M KiB peak RSS" -o "$w/cold.time" sh -c "$fleet" || true
  echo "== $n repositories: timing" >&2
  runs=5; [ "$n" -ge 1000 ] && runs=3
  # One --prepare per command, in the same order.
  hyperfine --runs "$runs" --warmup 1 -i --export-json "$w/result.json" \
    --prepare "$steps reset-remotes $w" --prepare "$steps reset-remotes $w" \
    --prepare "$steps reset-local $w" --prepare "$steps reset-copier $w" \
    --command-name "scaffold fleet upgrade" "$fleet" \
    --command-name "scaffold fleet upgrade --push" "$fleet --push" \
    --command-name "loop of scaffold upgrade" "$steps loop-scaffold $w $scaffold" \
    --command-name "loop of copier update (10 projects)" "$steps loop-copier $w"
  $steps reset-remotes "$w"
  /usr/bin/time -f "%M" -o "$w/rss" sh -c "$fleet" || true
  python3 - "$w/result.json" "$n" "$(tail -1 "$w/rss")" "$(tail -1 "$w/cold.time")" >> "$summary" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
n = int(sys.argv[2])
med = {r["command"]: statistics.median(r["times"]) for r in results}
copier = med["loop of copier update (10 projects)"] * n / 10
fleet = med["scaffold fleet upgrade"]
print(f"N={n}")
print(f"  scaffold fleet upgrade           median {fleet:8.2f} s")
print(f"  scaffold fleet upgrade --push    median {med['scaffold fleet upgrade --push']:8.2f} s")
print(f"  loop of scaffold upgrade         median {med['loop of scaffold upgrade']:8.2f} s   ({med['loop of scaffold upgrade']/fleet:.1f}x the fleet run)")
print(f"  loop of copier update (x{n // 10} from 10) {copier:8.2f} s   ({copier/fleet:.0f}x the fleet run)")
print(f"  peak RSS of the fleet run: {int(sys.argv[3]) / 1024:.0f} MiB; first (cold) run: {sys.argv[4]}")
PY
  cat "$summary"
done
echo; cat "$summary"
python3 - "$summary" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
runs = {int(n): (float(t), float(m)) for n, t, m in re.findall(r"N=(\d+)\n  scaffold fleet upgrade +median +([\d.]+) s.*?peak RSS of the fleet run: (\d+) MiB", text, re.S)}
if len(runs) > 1:
    small, large = min(runs), max(runs)
    print(f"N={large} takes {runs[large][0] / runs[small][0]:.1f}x the time of N={small} ({large // small}x the repositories); peak RSS {runs[large][1] / runs[small][1]:.2f}x")
PY
