#!/usr/bin/env python3
"""Runs a built golden-path service the way Kubernetes will (`java -jar target/app.jar`)
against the real local services, and checks what the chart and the alerts rely on:

- liveness and readiness (the probes' groups) answer UP once started;
- the API answers (java-service: create, read, list, a 404 as problem+json);
- readiness turns DOWN while PostgreSQL refuses the service's connections, and UP again
  after (Kubernetes takes the pod out of the Service, not down);
- a Redis outage (the service's own throwaway redis-server is killed) leaves readiness UP
  and the API serving from the database: the cache costs latency, never availability;
- the metrics contract: /actuator/prometheus, scraped after that traffic, has every series
  and label the repository's alert rules and dashboards select (metrics_contract.py, with
  the cluster exporters' fixtures in tools/validators/metrics/);
- SIGTERM shuts down gracefully within the pod's grace period.

    run_service.py REPO DATABASE

The environment carries the services' coordinates (tools/services/services.sh env) and
SPRING_DATASOURCE_*; JAVA_HOME a JDK 21+.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
VALIDATORS = HERE.parent / "validators"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def wait_for(what, check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def health(base, group):
    status, _, body = call("GET", f"{base}/actuator/health/{group}")
    return status, json.loads(body).get("status") if body.startswith("{") else body


def psql(sql):
    url = os.environ["GOLDPATH_PG_URL"].removeprefix("jdbc:postgresql://")
    host, port = url.split(":")
    subprocess.run(["psql", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "-qtA",
                    "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)


def own_redis(workdir):
    """A redis-server for this service alone, so its outage disturbs no other test."""
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for("redis-server", lambda: socket.create_connection(("127.0.0.1", port), 1).close() is None, 10)
    return server, port


def main(repo, database):
    repo = Path(repo).resolve()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    java = Path(os.environ.get("JAVA_HOME", "/usr")) / "bin" / "java"
    log = open(repo / "target" / "run.log", "w")
    env = dict(os.environ, SERVER_PORT=str(port))
    pom = (repo / "pom.xml").read_text()
    has_redis = "spring-boot-starter-data-redis" in pom
    redis_server = None
    if has_redis:
        redis_server, redis_port = own_redis(repo / "target")
        env.update(SPRING_DATA_REDIS_HOST="127.0.0.1", SPRING_DATA_REDIS_PORT=str(redis_port))
    app = subprocess.Popen([str(java), "-jar", "target/app.jar"], cwd=repo, env=env,
                           stdout=log, stderr=subprocess.STDOUT)
    checks = []

    def ok(what):
        checks.append(what)
        print(f"ok   {what}")

    try:
        wait_for("readiness UP", lambda: health(base, "readiness") == (200, "UP"), 120)
        assert health(base, "liveness") == (200, "UP"), health(base, "liveness")
        ok("liveness and readiness UP")

        has_api = (repo / "api" / "openapi.yaml").exists()
        has_db = "<artifactId>postgresql</artifactId>" in pom
        if has_api:
            status, _, body = call("POST", f"{base}/api/items", {"name": "first", "description": "d"})
            assert status == 201, (status, body)
            item = json.loads(body)
            status, _, body = call("GET", f"{base}/api/items/{item['id']}")
            assert status == 200 and json.loads(body)["name"] == "first", (status, body)
            status, _, body = call("GET", f"{base}/api/items")
            assert status == 200 and any(i["id"] == item["id"] for i in json.loads(body)), body
            status, kind, body = call("GET", f"{base}/api/items/987654321")
            assert status == 404 and "application/problem+json" in kind, (status, kind, body)
            ok("API: create, read, list, 404 as problem+json")

        if has_redis and has_api:
            redis_server.kill()
            redis_server.wait()
            started = time.monotonic()
            status, _, body = call("GET", f"{base}/api/items/{item['id']}")
            assert status == 200 and json.loads(body)["name"] == "first", (status, body)
            assert health(base, "readiness") == (200, "UP"), health(base, "readiness")
            took = time.monotonic() - started
            assert took < 5, f"the API waited {took:.1f} s for Redis"
            ok(f"Redis outage: readiness stays UP, the API serves from PostgreSQL ({took:.1f} s)")

        if has_db:
            psql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS false")
            psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")
            try:
                wait_for("readiness DOWN without PostgreSQL",
                         lambda: health(base, "readiness")[0] == 503, 60)
                assert health(base, "liveness") == (200, "UP"), health(base, "liveness")
            finally:
                psql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")
            wait_for("readiness UP again", lambda: health(base, "readiness") == (200, "UP"), 60)
            ok("PostgreSQL away: readiness DOWN (liveness UP), then UP again")

        watched = list(repo.glob("deploy/helm/*/files/*.rules.yaml")) + list(repo.glob("deploy/helm/*/dashboards/*.json"))
        status, _, scrape = call("GET", f"{base}/actuator/prometheus")
        if not watched:
            # monitoring=false: no alerts or dashboards to hold a contract with.
            assert status == 404, f"/actuator/prometheus answers {status} with monitoring off"
            status, scrape = 200, ""
        assert status == 200, f"/actuator/prometheus answers {status}"
        scrape_file = repo / "target" / "scrape.prom"
        scrape_file.write_text(scrape)
        fixtures = sorted(str(p) for p in (VALIDATORS / "metrics").glob("*.prom"))
        contract = subprocess.run([sys.executable, str(VALIDATORS / "metrics_contract.py"), str(repo),
                                   str(scrape_file), *fixtures], capture_output=True, text=True)
        print(contract.stdout, end="")
        assert contract.returncode == 0, "the metrics contract does not hold"
        ok("metrics contract")

        started = time.monotonic()
        app.send_signal(signal.SIGTERM)
        code = app.wait(timeout=45)
        took = time.monotonic() - started
        log.flush()
        text = (repo / "target" / "run.log").read_text()
        assert "Graceful shutdown complete" in text or "Commencing graceful shutdown" in text, text[-3000:]
        assert code in (0, 143), f"exit code {code}"
        ok(f"SIGTERM: graceful shutdown in {took:.1f} s (exit {code})")
    except (AssertionError, subprocess.CalledProcessError) as e:
        print(f"FAIL {e}")
        print("--- service log (last 60 lines)")
        print("\n".join((repo / "target" / "run.log").read_text().splitlines()[-60:]))
        return 1
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        if redis_server is not None and redis_server.poll() is None:
            redis_server.kill()
            redis_server.wait()
    print(f"{len(checks)} runtime checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
