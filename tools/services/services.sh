#!/usr/bin/env bash
# Real services for the golden-path tests, on 127.0.0.1 only, without a container engine:
# PostgreSQL, Redis and RabbitMQ from Debian's packages, and an Apache Kafka broker (KRaft,
# one node) from Maven Central (tools/services/kafka/pom.xml).
#
#   services.sh start [SERVICE...]   start (all by default); a running one is left alone
#   services.sh stop [SERVICE...]    stop (all by default); data is thrown away with `stop`
#   services.sh env                  export lines for the generated repositories' tests
#   services.sh database NAME        a fresh PostgreSQL database and role NAME (password NAME)
#
# SERVICE is postgresql, redis, rabbitmq or kafka. Everything lives in $GOLDPATH_SERVICES
# (default /tmp/goldpath-services); the Kafka jars are cached in ~/.cache/goldpath-services.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=${GOLDPATH_SERVICES:-/tmp/goldpath-services}
cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/goldpath-services
pg_port=${GOLDPATH_PG_PORT:-55432}
redis_port=${GOLDPATH_REDIS_PORT:-56379}
rabbit_port=${GOLDPATH_RABBIT_PORT:-55672}
kafka_port=${GOLDPATH_KAFKA_PORT:-59092}
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka/pom.xml")
all=(postgresql redis rabbitmq kafka)

die() { echo "services.sh: $*" >&2; exit 2; }
# PostgreSQL and RabbitMQ refuse to run as root: as root, run them as their package's user.
as_user() { local user=$1; shift; if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
wait_for() { # seconds, command...
  local tries=$(($1 * 10)); shift
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

start_postgresql() {
  local bin; bin=$(pg_bin); [ -n "$bin" ] || die "PostgreSQL is not installed (apt-get install postgresql)"
  psql_admin -c 'select 1' >/dev/null 2>&1 && return 0
  local dir=$base/postgresql
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_user postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log"
  fi
  as_user postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir -c fsync=off -c max_connections=300" start >/dev/null
}
stop_postgresql() {
  local bin; bin=$(pg_bin)
  [ -d "$base/postgresql/data" ] && as_user postgres "$bin/pg_ctl" -D "$base/postgresql/data" -m fast -w stop >/dev/null 2>&1 || true
}

start_redis() {
  command -v redis-server >/dev/null || die "Redis is not installed (apt-get install redis-server)"
  redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG && return 0
  mkdir -p "$base/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$base/redis" \
    --daemonize yes --pidfile "$base/redis/redis.pid" --logfile "$base/redis/server.log"
  wait_for 10 sh -c "redis-cli -h 127.0.0.1 -p $redis_port ping | grep -q PONG" || die "Redis did not start: $base/redis/server.log"
}
stop_redis() { redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; }

rabbit_env() {
  local dir=$base/rabbitmq
  echo HOME="$dir" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_NODENAME=goldpath@localhost RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_DIST_PORT=$((rabbit_port + 1)) \
    ERL_EPMD_ADDRESS=127.0.0.1
}
rabbitmqctl_() {
  rabbitmqctl --erlang-cookie "$(cat "$base/rabbitmq/.erlang.cookie")" -n goldpath@localhost "$@"
}
start_rabbitmq() {
  command -v rabbitmq-server >/dev/null || die "RabbitMQ is not installed (apt-get install rabbitmq-server)"
  port_open "$rabbit_port" && return 0
  local dir=$base/rabbitmq
  rm -rf "$dir"; mkdir -p "$dir"
  printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users = none\n' "$rabbit_port" >"$dir/rabbitmq.conf"
  echo '[].' >"$dir/enabled_plugins"
  [ "$(id -u)" = 0 ] && chown -R rabbitmq: "$dir"
  as_user rabbitmq env $(rabbit_env) rabbitmq-server -detached >/dev/null 2>&1
  wait_for 60 test -s "$dir/.erlang.cookie" || die "RabbitMQ did not start: $dir/log"
  rabbitmqctl_ await_startup --timeout 90 >/dev/null || die "RabbitMQ did not start: $dir/log"
}
stop_rabbitmq() { [ -d "$base/rabbitmq" ] && rabbitmqctl_ stop >/dev/null 2>&1 || true; }

kafka_lib() { echo "$cache/kafka-$kafka_version/lib"; }
start_kafka() {
  port_open "$kafka_port" && return 0
  local lib; lib=$(kafka_lib)
  if [ ! -f "$lib/.complete" ]; then
    rm -rf "$lib"
    mkdir -p "$cache"
    mvn -B -ntp -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$lib" >"$cache/fetch-kafka.log" 2>&1 \
      || die "could not fetch Kafka $kafka_version from Maven Central: $cache/fetch-kafka.log"
    touch "$lib/.complete"
  fi
  local dir=$base/kafka
  rm -rf "$dir"; mkdir -p "$dir"
  cat >"$dir/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$((kafka_port + 1))
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$((kafka_port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
# As in production: topics are created on purpose, never by a stray producer or consumer.
auto.create.topics.enable=false
offsets.topic.replication.factor=1
share.coordinator.state.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
  local java=(java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$lib/*")
  "${java[@]}" kafka.tools.StorageTool format --standalone -t "$("${java[@]}" kafka.tools.StorageTool random-uuid)" \
    -c "$dir/server.properties" >"$dir/format.log" 2>&1 || die "could not format Kafka's storage: $dir/format.log"
  nohup "${java[@]}" kafka.Kafka "$dir/server.properties" >"$dir/server.log" 2>&1 &
  echo $! >"$dir/kafka.pid"
  wait_for 90 port_open "$kafka_port" || die "Kafka did not start: $dir/server.log"
}
stop_kafka() {
  local pid_file=$base/kafka/kafka.pid
  [ -f "$pid_file" ] || return 0
  local pid; pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

services() { if [ $# -eq 0 ]; then echo "${all[@]}"; else echo "$@"; fi; }
check() { for s in "$@"; do case $s in postgresql|redis|rabbitmq|kafka) ;; *) die "unknown service $s (${all[*]})";; esac; done; }

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  start)
    check "$@"; mkdir -p "$base"; chmod 755 "$base"
    for s in $(services "$@"); do "start_$s"; done ;;
  stop)
    check "$@"
    for s in $(services "$@"); do "stop_$s"; done
    [ $# -eq 0 ] && rm -rf "$base" ;;
  env)
    cat <<ENV
export TEST_SERVICES=external
export GOLDPATH_PG_URL=jdbc:postgresql://127.0.0.1:$pg_port
export SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT=$redis_port
export SPRING_RABBITMQ_HOST=127.0.0.1 SPRING_RABBITMQ_PORT=$rabbit_port SPRING_RABBITMQ_USERNAME=guest SPRING_RABBITMQ_PASSWORD=guest
export SPRING_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$kafka_port
ENV
    ;;
  database)
    [ $# -eq 1 ] && [[ $1 =~ ^[a-z_][a-z0-9_]*$ ]] || die "usage: services.sh database NAME (lowercase letters, digits, _)"
    psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "DROP ROLE IF EXISTS $1" \
      -c "CREATE ROLE $1 LOGIN PASSWORD '$1'" -c "CREATE DATABASE $1 OWNER $1" >/dev/null
    echo "jdbc:postgresql://127.0.0.1:$pg_port/$1" ;;
  *) die "usage: services.sh start|stop [SERVICE...] | env | database NAME" ;;
esac
