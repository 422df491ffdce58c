#!/usr/bin/env bash
# The golden paths' Maven Wrapper scripts are upstream's: mvnw.cmd byte for byte (line
# endings aside) and mvnw with exactly the patch in mvnw-3.3.4.patch. Fails when either has
# drifted, e.g. after a hand edit or a wrapper upgrade that forgot the patch.
#
#   check-wrapper.sh DIR      (DIR holds mvnw and mvnw.cmd: the _base template or a render)
#
# Upstream is maven-wrapper-distribution 3.3.4 (only-script) from Maven Central, checked
# against its SHA-256 and cached in ~/.cache/goldpath-services.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$1" && pwd)
version=3.3.4
sha256=6cb584c2bc907b849a0b931d8266d3ff3214cdd3127115ed4f49fb7176413d36
cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/goldpath-services
zip=$cache/maven-wrapper-distribution-$version-only-script.zip
if ! echo "$sha256  $zip" | sha256sum -c --status 2>/dev/null; then
  mkdir -p "$cache"
  curl -sSfL -o "$zip.part" \
    "https://repo.maven.apache.org/maven2/org/apache/maven/wrapper/maven-wrapper-distribution/$version/maven-wrapper-distribution-$version-only-script.zip"
  echo "$sha256  $zip.part" | sha256sum -c --status || { echo "checksum mismatch: $zip.part" >&2; exit 1; }
  mv "$zip.part" "$zip"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], ["mvnw", "mvnw.cmd"])' "$zip" "$work"
patch -s -p0 -d "$work" <"$here/mvnw-$version.patch"
status=0
cmp -s "$work/mvnw" "$dir/mvnw" || { echo "mvnw differs from upstream $version + mvnw-$version.patch:"; diff -u "$work/mvnw" "$dir/mvnw" | head -40; status=1; }
cmp -s <(tr -d '\r' <"$work/mvnw.cmd") <(tr -d '\r' <"$dir/mvnw.cmd") || { echo "mvnw.cmd differs from upstream $version"; status=1; }
[ $status = 0 ] && echo "ok   Maven Wrapper $version (+ mvnw-$version.patch)"
exit $status
