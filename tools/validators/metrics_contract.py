"""The metrics contract: every series a repository's alert rules and dashboards select must
exist, with the labels they match on, in what is really scraped. A rule that selects a
series nobody emits never fires, and nothing else says so: promtool tests pass on the
series they are given.

    metrics_contract.py REPO EXPOSITION...

EXPOSITION files are Prometheus text format: a scrape of the running service
(`/actuator/prometheus`) and the fixtures of what the cluster's exporters emit
(tools/validators/metrics/*.prom, each with its source). Selectors are read from the
`expr` of deploy/helm/*/files/*.rules.yaml and of the dashboards' targets; recording rules
defined in the repository count as emitted. Labels that Prometheus adds to every target
(job, namespace, pod, ...) are always there. For histogram buckets the `le` value must be
one the scrape has: Micrometer writes `le="0.5"`, Envoy `le="500"`.
"""

import json
import re
import sys
from pathlib import Path

import yaml

TARGET_LABELS = {"job", "namespace", "pod", "instance", "service", "endpoint", "container"}
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
SELECTOR = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^{}]*)\}")
MATCHER = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"')


def exposed(paths):
    """metric name -> {label name -> set of values}"""
    series = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            m = SAMPLE.match(line)
            if not m or line.startswith("#"):
                continue
            labels = series.setdefault(m[1], {})
            for name, value in LABEL.findall(m[2] or ""):
                labels.setdefault(name, set()).add(value)
    return series


def expressions(repo):
    """(file, expression) of every rule and dashboard target; names of recording rules."""
    found, recorded = [], set()
    for rules in sorted(repo.glob("deploy/helm/*/files/*.rules.yaml")):
        for group in (yaml.safe_load(rules.read_text()) or {}).get("groups", []):
            for rule in group.get("rules", []):
                if "record" in rule:
                    recorded.add(rule["record"])
                found.append((rules, rule["expr"]))
    for dashboard in sorted(repo.glob("deploy/helm/*/dashboards/*.json")):
        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("expr"), str):
                    found.append((dashboard, node["expr"]))
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(json.loads(dashboard.read_text()))
    return found, recorded


def problems(repo, series):
    found, recorded = expressions(repo)
    for path, expr in found:
        # Strings outside selectors (label_replace arguments) are not selectors.
        for name, body in SELECTOR.findall(expr):
            if name in recorded:
                continue
            where = f"{path.relative_to(repo)}: {name}"
            if name not in series:
                yield f"{where}: no such series is scraped or exported"
                continue
            for label, op, value in MATCHER.findall(body):
                if label in TARGET_LABELS or label == "__name__":
                    continue
                have = series[name].get(label)
                if have is None:
                    yield f"{where}: has no label {label!r} (it has {', '.join(sorted(series[name])) or 'none'})"
                elif label == "le" and op == "=" and value not in have:
                    yield f"{where}: no bucket le={value!r} (buckets: {', '.join(sorted(have, key=bucket_order))})"


def bucket_order(le):
    try:
        return float(le)
    except ValueError:
        return float("inf")


def main(argv):
    repo, expositions = Path(argv[0]), argv[1:]
    series = exposed(expositions)
    found = list(problems(repo, series))
    for p in dict.fromkeys(found):
        print(p)
    checked = len(expressions(repo)[0])
    print(f"{checked} expressions checked against {len(series)} metric names, {len(set(found))} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
