"""Pod Security Standards "restricted" (Kubernetes v1.33) for every workload in rendered
manifests, plus the golden paths' own rules on top: read-only root filesystem, no
service-account token mounted, resource requests set.

The checks follow https://kubernetes.io/docs/concepts/security/pod-security-standards/
field by field (baseline, then restricted). Envoy Gateway's EnvoyProxy is checked too:
its pod and container settings become the gateway's data-plane Deployment.

    python pod_security.py manifests.yaml...
"""
import sys

import yaml

POD_TEMPLATE_PATHS = {
    "Pod": [],
    "Deployment": ["spec", "template"],
    "StatefulSet": ["spec", "template"],
    "DaemonSet": ["spec", "template"],
    "ReplicaSet": ["spec", "template"],
    "Job": ["spec", "template"],
    "CronJob": ["spec", "jobTemplate", "spec", "template"],
}
ALLOWED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                   "persistentVolumeClaim", "projected", "secret"}
SAFE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
                "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"}
SELINUX_TYPES = {None, "", "container_t", "container_init_t", "container_kvm_t",
                 "container_engine_t"}


def dig(doc, keys):
    for key in keys:
        doc = (doc or {}).get(key)
    return doc


def check_pod(spec, name, envoy=False):
    """Yields a message per violation of a pod spec (or EnvoyProxy pod/container pair)."""
    psc = spec.get("securityContext") or {}
    containers = (spec.get("initContainers") or []) + (spec.get("containers") or []) \
        + (spec.get("ephemeralContainers") or [])
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(field):
            yield f"{field} must be false"
    for vol in spec.get("volumes") or []:
        kinds = set(vol) - {"name"}
        if not kinds <= ALLOWED_VOLUMES:
            yield f"volume {vol.get('name')}: type {sorted(kinds - ALLOWED_VOLUMES)} is not allowed"
    for sysctl in psc.get("sysctls") or []:
        if sysctl.get("name") not in SAFE_SYSCTLS:
            yield f"sysctl {sysctl.get('name')} is not in the safe set"
    if (psc.get("windowsOptions") or {}).get("hostProcess"):
        yield "pod: hostProcess must be false"
    if (psc.get("seLinuxOptions") or {}).get("type") not in SELINUX_TYPES:
        yield "pod: seLinuxOptions.type is not allowed"
    if (psc.get("appArmorProfile") or {}).get("type") == "Unconfined":
        yield "pod: appArmorProfile must not be Unconfined"
    if psc.get("runAsUser") == 0:
        yield "pod: runAsUser must not be 0"
    pod_seccomp = (psc.get("seccompProfile") or {}).get("type")
    if pod_seccomp not in (None, "RuntimeDefault", "Localhost"):
        yield f"pod: seccompProfile {pod_seccomp} is not allowed"
    if not envoy and spec.get("automountServiceAccountToken") is not False:
        yield "pod: automountServiceAccountToken must be false"
    if not containers:
        yield "no containers"
    for c in containers:
        cname = f"container {c.get('name')}"
        sc = c.get("securityContext") or {}
        if sc.get("privileged"):
            yield f"{cname}: privileged must be false"
        if (sc.get("windowsOptions") or {}).get("hostProcess"):
            yield f"{cname}: hostProcess must be false"
        for port in c.get("ports") or []:
            if port.get("hostPort"):
                yield f"{cname}: hostPort must not be set"
        if (sc.get("seLinuxOptions") or {}).get("type") not in SELINUX_TYPES:
            yield f"{cname}: seLinuxOptions.type is not allowed"
        if (sc.get("appArmorProfile") or {}).get("type") == "Unconfined":
            yield f"{cname}: appArmorProfile must not be Unconfined"
        if sc.get("procMount") not in (None, "Default"):
            yield f"{cname}: procMount must be Default"
        if sc.get("allowPrivilegeEscalation") is not False:
            yield f"{cname}: allowPrivilegeEscalation must be false"
        if sc.get("runAsNonRoot", psc.get("runAsNonRoot")) is not True:
            yield f"{cname}: runAsNonRoot must be true"
        if sc.get("runAsUser") == 0:
            yield f"{cname}: runAsUser must not be 0"
        seccomp = (sc.get("seccompProfile") or {}).get("type") or pod_seccomp
        if seccomp not in ("RuntimeDefault", "Localhost"):
            yield f"{cname}: seccompProfile must be RuntimeDefault or Localhost"
        caps = sc.get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            yield f"{cname}: capabilities must drop ALL"
        if set(caps.get("add") or []) - {"NET_BIND_SERVICE"}:
            yield f"{cname}: only NET_BIND_SERVICE may be added"
        if sc.get("readOnlyRootFilesystem") is not True:
            yield f"{cname}: readOnlyRootFilesystem must be true"
        if not envoy and not (c.get("resources") or {}).get("requests"):
            yield f"{cname}: resources.requests must be set"


def workloads(doc):
    kind = doc.get("kind")
    if kind in POD_TEMPLATE_PATHS:
        template = dig(doc, POD_TEMPLATE_PATHS[kind]) if POD_TEMPLATE_PATHS[kind] else doc
        yield (dig(template, ["spec"]) or {}), False
    elif kind == "EnvoyProxy":
        deployment = dig(doc, ["spec", "provider", "kubernetes", "envoyDeployment"]) or {}
        pod = dict(deployment.get("pod") or {})
        pod["containers"] = [dict(deployment.get("container") or {}, name="envoy")]
        yield pod, True


def main(files):
    failed = checked = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            docs = [d for d in yaml.safe_load_all(f) if d]
        for doc in docs:
            for spec, envoy in workloads(doc):
                checked += 1
                name = f"{path}: {doc['kind']}/{doc['metadata']['name']}"
                problems = list(check_pod(spec, name, envoy))
                failed += bool(problems)
                for p in problems:
                    print(f"FAIL {name}: {p}")
                if not problems:
                    print(f"ok   {name}: restricted")
    if checked == 0:
        print("FAIL no workloads found")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
