#!/bin/sh
# Run by scaffold after rendering (a trusted task): fails if the layout is incomplete.
set -eu
for f in README.md pom.xml catalog-info.yaml "deploy/helm/$1/Chart.yaml"; do
  [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }
done
