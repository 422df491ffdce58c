#!/usr/bin/env bash
# The authors' loop on the shipped golden paths: `scaffold lint` on all built-ins (the
# issue's target: well under a second), and `scaffold test` on one (render, snapshot
# compare, validators). No peer has a linter for templates to compare with.
# Needs: hyperfine (apt), a release build (cargo build --release), and for `test` the
# validators (tools/validators/install.sh).
#   bench/lint.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need hyperfine
scaffold="$root/target/release/scaffold"
[ -x "$scaffold" ] || { echo "build first: cargo build --release" >&2; exit 2; }
mkdir -p "$work"
export PATH="${GOLDPATH_TOOLS:-/opt/goldpath-validators}/bin:$PATH"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/lint.json" \
  "$scaffold lint $root/golden-paths" \
  "$scaffold lint $root/golden-paths/java-service"
hyperfine --warmup 1 --runs 5 --export-json "$work/test.json" \
  "$scaffold test $root/golden-paths/api-gateway"
python3 - "$work/lint.json" "$work/test.json" <<'PY'
import json, sys
for f in sys.argv[1:]:
    for r in json.load(open(f))["results"]:
        print(f"median {r['median'] * 1000:8.1f} ms  {r['command']}")
PY
