#!/usr/bin/env bash
# Applies a rendered repository's Flyway migrations (src/main/resources/db/migration,
# in version order) to a throwaway PostgreSQL, then runs the SQL statements its Java code
# sends as string literals (INSERT/UPDATE/DELETE/SELECT), each twice, against that schema.
# PostgreSQL listens on a socket in a temporary folder only, so parallel runs never clash.
#
#   migrations.sh REPO
set -euo pipefail
repo=$1
shopt -s nullglob
migrations=("$repo"/src/main/resources/db/migration/V*.sql)
[ ${#migrations[@]} -gt 0 ] || { echo "no migrations"; exit 0; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL is not installed: run tools/validators/install.sh" >&2; exit 3; }
run=$(mktemp -d)
chmod 755 "$run"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$run"
cleanup() { as_pg "$pgbin/pg_ctl" -D "$run/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$run"; }
trap cleanup EXIT
as_pg "$pgbin/initdb" -D "$run/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$pgbin/pg_ctl" -D "$run/data" -l "$run/pg.log" -w \
  -o "-c listen_addresses='' -k $run -c fsync=off" start >/dev/null
psql=(psql -h "$run" -U postgres -d postgres -v ON_ERROR_STOP=1 -q)
# Flyway order: by version number, not by file name.
for m in $(printf '%s\n' "${migrations[@]}" | sed -E 's/.*\/V([0-9]+)__.*/\1 &/' | sort -n | cut -d' ' -f2); do
  "${psql[@]}" -f "$m"
  echo "applied $(basename "$m")"
done
# The statements in the Java sources, with '?' bound to a literal.
{ grep -rhoE '"(INSERT|UPDATE|DELETE|SELECT) [^"]+"' "$repo/src/main/java" || true; } | tr -d '"' | sed "s/?/'probe-1'/g" |
  while read -r statement; do
    "${psql[@]}" -c "$statement" -c "$statement"
    echo "ran twice: $statement"
  done
