#!/usr/bin/env bash
# A sharded fleet run against an unsharded one, on the fleet bench/fleet.sh
# generated: 4 shard processes with --jobs 1 each (as 4 Kubernetes Job
# indexes or CI matrix jobs would run), against one process with --jobs 4.
# Checks that the union of the shards' run logs covers every repository
# exactly once with the same outcome, then prints the per-repository costs
# the run logs measured (fetch, plan, write) and what they predict for a
# 100,000-repository fleet.
#
# usage: bench/fleet-shards.sh [N]     (default 1000; run bench/fleet.sh N first)
# needs: hyperfine, python3
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need hyperfine python3
n=${1:-1000}
w="$work/fleet$n"
[ -f "$w/repos.txt" ] || { echo "run bench/fleet.sh $n first" >&2; exit 2; }
scaffold="$root/target/release/scaffold"
export XDG_CACHE_HOME="$w/cache"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
base="$scaffold fleet upgrade --repos $w/repos.txt --source $w/scaffold-src -q"
cat > "$w/shards.sh" <<EOF
for i in 0 1 2 3; do $base --shard \$i/4 --jobs 1 --run-log $w/shard-\$i.jsonl & done
wait
EOF
hyperfine --runs 3 --warmup 1 -i --export-json "$w/shards.json" \
  --prepare "rm -f $w/shard-*.jsonl $w/whole.jsonl" \
  --command-name "4 shards x --jobs 1" "sh $w/shards.sh" \
  --command-name "1 process, --jobs 4" "$base --jobs 4 --run-log $w/whole.jsonl"
# The last run of each left its run logs: the union check, and the costs.
sh "$w/shards.sh" || true
rm -f "$w/whole.jsonl"; $base --jobs 4 --run-log "$w/whole.jsonl" || true
python3 - "$w" "$n" <<'PY'
import glob, json, statistics, sys
w, n = sys.argv[1], int(sys.argv[2])
def results(paths):
    out = []
    for p in paths:
        for line in open(p):
            e = json.loads(line)
            if e.get("event") == "repo":
                out.append(e)
    return out
shards = results(sorted(glob.glob(f"{w}/shard-*.jsonl")))
whole = results([f"{w}/whole.jsonl"])
ids = [r["repository"] for r in shards]
assert len(ids) == len(set(ids)) == n, f"{len(ids)} results, {len(set(ids))} distinct, {n} repositories"
assert {r["repository"]: r["status"] for r in shards} == {r["repository"]: r["status"] for r in whole}, "same outcome"
print(f"union check: {n} repositories, each in exactly one shard, same status as the unsharded run")
med = {r["command"]: statistics.median(r["times"]) for r in json.load(open(f"{w}/shards.json"))["results"]}
for k, v in med.items():
    print(f"  {k:<24} median {v:7.2f} s")
cost = {k: statistics.median(r["durations"][k] for r in whole) for k in ("fetch_ms", "plan_ms", "write_ms", "total_ms")}
print("per repository (medians, ms): " + ", ".join(f"{k[:-3]} {v:.0f}" for k, v in cost.items()))
per_repo = cost["total_ms"] / 1000
for shards_n, jobs in ((1, 2), (10, 2), (50, 2), (100, 4)):
    hours = 100_000 * per_repo / (shards_n * jobs) / 3600
    print(f"  100,000 repositories on {shards_n} shard(s) x {jobs} jobs: {hours:.2f} h (+ pushes at the forge's rate)")
PY
