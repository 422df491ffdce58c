#!/usr/bin/env bash
# Runs every validator on rendered repositories and fails if any check fails. A missing
# validator is a failure too (install them with tools/validators/install.sh), never a skip.
#
#   tools/validators/validate-repo.sh REPO...
#
# Per repository: helm lint --strict; helm template into Kubernetes schema validation
# (kubernetes-validate --strict) and CRD schemas (crds.mjs); the Pod Security "restricted"
# check (pod_security.py); the NetworkPolicies evaluated for the connections the workload
# needs and must not get (netpol_flows.py); promtool check rules + test rules; actionlint and the workflow
# schema, or the GitLab CI schema; hadolint; yamllint with the repo's own config; the
# renovate schema; the Backstage catalog model; the OpenAPI spec; Java parse + imports;
# actions pinned to commit SHAs (actions_pinned.py); the Maven Wrapper scripts against
# upstream's (tools/java/check-wrapper.sh); the Flyway migrations and the code's SQL on
# a throwaway PostgreSQL (migrations.sh).
set -uo pipefail
shopt -s nullglob
export GOLDPATH_TOOLS=${GOLDPATH_TOOLS:-/opt/goldpath-validators}
here=$(cd "$(dirname "$0")" && pwd)
export PATH="$GOLDPATH_TOOLS/bin:$PATH"
py="$GOLDPATH_TOOLS/venv/bin/python3"
for tool in psql helm kubernetes-validate promtool actionlint hadolint yamllint check-jsonschema \
  openapi-spec-validator node "$py"; do
  command -v "$tool" >/dev/null || { echo "FAIL missing validator $tool: run tools/validators/install.sh" >&2; exit 3; }
done

failures=0
run() { # run LABEL CMD...: prints the output only when the check fails
  local label=$1 out
  shift
  if out=$("$@" 2>&1); then
    echo "ok   $label"
  else
    failures=$((failures + 1))
    echo "FAIL $label"
    printf '%s\n' "$out" | sed 's/^/     /' | head -40
  fi
}

for repo in "$@"; do
  repo=$(cd "$repo" && pwd)
  cd "$repo" || exit 3
  echo "== $repo"
  chart=$(ls -d deploy/helm/*/ | head -1)
  chart=${chart%/}
  manifests=$(mktemp --suffix=.yaml)
  run "helm lint $chart" helm lint --strict "$chart"
  run "helm template $chart" sh -c "helm template release '$chart' --namespace app >'$manifests'"
  run "kubernetes-validate --strict" kubernetes-validate --strict --kubernetes-version 1.33 "$manifests"
  run "CRD schemas" node "$here/crds.mjs" "$manifests"
  run "pod security restricted" "$py" "$here/pod_security.py" "$manifests"
  run "network policy flows" "$py" "$here/netpol_flows.py" "$manifests" .
  rules=("$chart"/files/*.rules.yaml)
  if [ ${#rules[@]} -gt 0 ]; then
    run "promtool check rules" promtool check rules "${rules[@]}"
    run "promtool test rules" sh -c 'cd monitoring && promtool test rules *.test.yaml'
  fi
  if [ -d .github/workflows ]; then
    run "actionlint" actionlint .github/workflows/*.yml
    run "workflow schema" check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
    run "actions pinned to commits" "$py" "$here/actions_pinned.py" .github/workflows/*.yml
  fi
  [ -f .gitlab-ci.yml ] && run "gitlab-ci schema" check-jsonschema --builtin-schema vendor.gitlab-ci .gitlab-ci.yml
  [ -f Dockerfile ] && run "hadolint" hadolint Dockerfile
  [ -f compose.yaml ] && run "compose schema" check-jsonschema --builtin-schema vendor.compose-spec compose.yaml
  run "yamllint" yamllint --strict -c .yamllint.yaml .
  run "renovate schema" check-jsonschema --builtin-schema vendor.renovate renovate.json
  run "values schema" sh -c "'$py' -c 'import sys,yaml,json; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2],\"w\"))' '$chart/values.yaml' '$manifests.values.json' && check-jsonschema --schemafile '$chart/values.schema.json' '$manifests.values.json'"
  for dashboard in "$chart"/dashboards/*.json; do
    run "dashboard $dashboard" "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["panels"] and d["title"], "no panels"' "$dashboard"
  done
  run "backstage catalog" node "$here/catalog.mjs" catalog-info.yaml
  [ -f api/openapi.yaml ] && run "openapi" openapi-spec-validator api/openapi.yaml
  [ -f pom.xml ] && run "java parse + imports" "$py" "$here/java_check.py" .
  [ -f mvnw ] && run "maven wrapper is upstream's" bash "$here/../java/check-wrapper.sh" .
  [ -d src/main/resources/db/migration ] && run "flyway migrations on PostgreSQL" bash "$here/migrations.sh" .
  rm -f "$manifests" "$manifests.values.json"
done
echo "$failures failed"
[ "$failures" -eq 0 ]
