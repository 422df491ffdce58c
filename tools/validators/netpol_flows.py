"""NetworkPolicy semantics, not just schema: evaluates a chart's rendered NetworkPolicies
(Kubernetes' rules: a pod selected by no policy of a direction is open in it; otherwise a
connection needs a rule whose peers and ports match, on both the sender's egress and the
receiver's ingress) for the connections the workload needs and those it must not get.

    netpol_flows.py MANIFESTS.yaml [REPO]

What must flow is read from the render itself, not from the policies: an HTTPRoute means
the gateway's proxies (Envoy Gateway's namespace) reach the app's port, an Ingress the
ingress controller, a ServiceMonitor Prometheus (namespace `monitoring`), the `helm test`
pod reaches the app, and every dependency the Deployment is configured for (DB_HOST,
REDIS_HOST, the Kafka or RabbitMQ settings) is reachable at a private address on its port,
as is DNS, and the OTLP collector the application's config exports traces to (REPO's
src/main/resources/application*.yaml, `http://<service>.<namespace>:<port>`) in its namespace. What must not: any other namespace to the app, the app to
the internet, the app to a private address on a port it has no dependency on.
"""

import ipaddress
import pathlib
import re
import sys

import yaml

APP_NS = "app"
POD_NET = "10.244.0.0/16"


class Pod:
    def __init__(self, name, namespace, labels, ports=None, ip="10.244.1.10"):
        self.name, self.namespace, self.labels = name, namespace, labels or {}
        self.ports, self.ip = ports or {}, ip
        self.ns_labels = {"kubernetes.io/metadata.name": namespace}


class Address:
    def __init__(self, ip):
        self.name, self.ip, self.namespace = ip, ip, None


def selects(selector, labels):
    selector = selector or {}
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e["key"], e["operator"], e.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def in_block(ip, block):
    address = ipaddress.ip_address(ip)
    if address not in ipaddress.ip_network(block["cidr"]):
        return False
    return not any(address in ipaddress.ip_network(x) for x in block.get("except") or [])


def peer_matches(peer, other, policy_ns):
    if "ipBlock" in peer:
        return in_block(other.ip, peer["ipBlock"])
    if not isinstance(other, Pod):
        return False
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"], other.ns_labels):
            return False
    elif other.namespace != policy_ns:
        return False
    return "podSelector" not in peer or selects(peer["podSelector"], other.labels)


def port_matches(rule_ports, port, protocol, target):
    if not rule_ports:
        return True
    for p in rule_ports:
        if p.get("protocol", "TCP") != protocol:
            continue
        want = p.get("port")
        if want is None:
            return True
        if isinstance(want, str):
            want = target.ports.get(want) if isinstance(target, Pod) else None
        if want is None:
            continue
        if want <= port <= p.get("endPort", want):
            return True
    return False


def allowed(policies, src, dst, port, protocol="TCP"):
    def direction(pod, kind, peers_key, other, target):
        if not isinstance(pod, Pod):
            return True
        mine = [p for p in policies if p["metadata"].get("namespace", APP_NS) == pod.namespace
                and selects(p["spec"].get("podSelector"), pod.labels)
                and kind in p["spec"].get("policyTypes", ["Ingress"])]
        if not mine:
            return True
        for p in mine:
            for rule in p["spec"].get(kind.lower()) or []:
                peers = rule.get(peers_key)
                ns = p["metadata"].get("namespace", APP_NS)
                if (peers is None or any(peer_matches(x, other, ns) for x in peers)) and \
                        port_matches(rule.get("ports"), port, protocol, target):
                    return True
        return False
    return direction(src, "Egress", "to", dst, dst) and direction(dst, "Ingress", "from", src, dst)


def otlp_targets(repo):
    """(namespace, port) of every OTLP endpoint default in the application's config."""
    found = []
    for config in sorted(pathlib.Path(repo).glob("src/main/resources/application*.yaml")):
        for url in re.findall(r"otlp[\s\S]*?endpoint:\s*\$\{[A-Z_]+:(http://[^}/]+)", config.read_text()):
            host, _, port = url.removeprefix("http://").partition(":")
            if "." in host:
                found.append((host.split(".")[1], int(port or 4318)))
    return found


def flows(docs, repo=None):
    """(description, src, dst, port, protocol, must) from what the render configures."""
    kinds = {d["kind"]: d for d in docs}
    deployment = kinds.get("Deployment")
    if deployment is None:
        return []
    template = deployment["spec"]["template"]
    container = template["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}
    app = Pod("app", APP_NS, template["metadata"]["labels"], ports, ip="10.244.1.10")
    http = ports.get("http") or next(iter(ports.values()))
    out = []
    must = lambda what, src, dst, port, proto="TCP": out.append((what, src, dst, port, proto, True))
    must_not = lambda what, src, dst, port, proto="TCP": out.append((what, src, dst, port, proto, False))
    if "HTTPRoute" in kinds:
        must("Envoy Gateway's proxies -> app", Pod("envoy", "envoy-gateway-system",
             {"app.kubernetes.io/name": "envoy"}, ip="10.244.2.10"), app, http)
    if "Ingress" in kinds:
        must("ingress-nginx -> app", Pod("controller", "ingress-nginx",
             {"app.kubernetes.io/name": "ingress-nginx"}, ip="10.244.2.11"), app, http)
    else:
        must_not("ingress-nginx -> app (no Ingress)", Pod("controller", "ingress-nginx",
                 {"app.kubernetes.io/name": "ingress-nginx"}, ip="10.244.2.11"), app, http)
    if "ServiceMonitor" in kinds:
        must("Prometheus -> app metrics", Pod("prometheus", "monitoring",
             {"app.kubernetes.io/name": "prometheus"}, ip="10.244.3.10"), app, http)
    for d in docs:
        if d["kind"] == "Pod" and "test" in (d["metadata"].get("annotations") or {}).get("helm.sh/hook", ""):
            must("helm test pod -> app", Pod("test", APP_NS, d["metadata"].get("labels"), ip="10.244.1.20"), app, http)
    must_not("another namespace -> app", Pod("x", "other-team", {"app": "x"}, ip="10.244.4.10"), app, http)
    dns = Pod("coredns", "kube-system", {"k8s-app": "kube-dns"}, ip="10.244.0.10")
    must("app -> kube-dns (UDP)", app, dns, 53, "UDP")
    must("app -> kube-dns (TCP)", app, dns, 53, "TCP")
    env = {e["name"]: str(e.get("value", "")) for e in container.get("env", [])}
    deps = []
    if "DB_HOST" in env:
        deps.append(("PostgreSQL", int(env.get("DB_PORT") or 5432)))
    if "REDIS_HOST" in env:
        deps.append(("Redis", int(env.get("REDIS_PORT") or 6379)))
    kafka = env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS") or env.get("KAFKA_BOOTSTRAP_SERVERS")
    if kafka is not None:
        deps.append(("Kafka", int(kafka.rsplit(":", 1)[1]) if ":" in kafka else 9092))
    if "SPRING_RABBITMQ_HOST" in env or "RABBITMQ_HOST" in env:
        deps.append(("RabbitMQ", int(env.get("SPRING_RABBITMQ_PORT") or env.get("RABBITMQ_PORT") or 5672)))
    for name, value in env.items():
        if "OTLP" in name and value.startswith("http"):
            deps.append(("OTLP collector", int(value.split(":")[2].split("/")[0]) if value.count(":") >= 2 else 4318))
    for namespace, port in otlp_targets(repo) if repo else []:
        collector = Pod("collector", namespace, {"app.kubernetes.io/name": "opentelemetry-collector"}, ip="10.244.3.20")
        must(f"app -> OTLP collector in {namespace}", app, collector, port)
        must_not("app -> OTLP port on the internet", app, Address("203.0.113.7"), port)
    dep_ports = {p for _, p in deps}
    for name, port in deps:
        must(f"app -> {name} at a private address", app, Address("10.96.10.20"), port)
        must_not(f"app -> {name} port on the internet", app, Address("203.0.113.7"), port)
    must_not("app -> the internet (HTTPS)", app, Address("203.0.113.7"), 443)
    closed = next(p for p in (22, 25, 3306, 27017) if p not in dep_ports)
    must_not(f"app -> a private address on port {closed}", app, Address("10.96.10.20"), closed)
    return out


def main(path, repo=None):
    docs = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if d]
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    failed = 0
    for what, src, dst, port, proto, must in flows(docs, repo):
        ok = allowed(policies, src, dst, port, proto) == must
        failed += not ok
        verdict = "allowed" if must else "refused"
        print(f"{'ok  ' if ok else 'FAIL'} {what} :{port}/{proto} must be {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
