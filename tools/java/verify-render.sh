#!/usr/bin/env bash
# Builds and tests one generated Java repository the way its own CI does (`./mvnw -B verify`:
# compile with -Werror, unit tests, the jar, then the integration tests), against the real
# services of tools/services/services.sh instead of Testcontainers (no container engine on
# this machine: the repositories' TEST_SERVICES=external seam), checks every key of its
# application*.yaml against the Spring Boot metadata of the jar it built, and runs the jar
# (run_service.py: probes, API, PostgreSQL and Redis outages, metrics contract, SIGTERM).
#
#   verify-render.sh REPO [DATABASE]
#
# DATABASE (default: the folder's name) is created fresh, so renders can share the server.
# Needs a JDK 21 or newer (the golden paths compile for Java 21): JAVA_HOME if it is one,
# else the newest under /usr/lib/jvm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
services=$here/../services/services.sh
repo=$(cd "$1" && pwd)
db=${2:-$(basename "$repo" | tr -c 'a-z0-9_\n' '_')}

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  JAVA_HOME=
  for jdk in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::'); do
    [ -x "$jdk/bin/javac" ] || continue
    major=$(java_major "$jdk")
    if [ "${major:-0}" -ge 21 ] && [ "${major}" -ge "${best:-0}" ]; then best=$major; JAVA_HOME=$jdk; fi
  done
  [ -n "$JAVA_HOME" ] || { echo "verify-render.sh: no JDK 21+ found (set JAVA_HOME)" >&2; exit 2; }
fi
export JAVA_HOME

"$services" start >/dev/null
eval "$("$services" env)"
url=$("$services" database "$db")
export SPRING_DATASOURCE_URL=$url SPRING_DATASOURCE_USERNAME=$db SPRING_DATASOURCE_PASSWORD=$db

cd "$repo"
./mvnw -B -ntp verify
py=${GOLDPATH_TOOLS:-/opt/goldpath-validators}/venv/bin/python3
[ -x "$py" ] || py=python3
"$py" "$here/boot_properties.py" "$repo"
# Then run it as Kubernetes will, and hold its metrics to the alerts' and dashboards' contract.
"$py" "$here/run_service.py" "$repo" "$db"
