"""Java sources of a rendered repository, checked without Spring Boot jars (none are
reachable offline): every .java file parses with tree-sitter-java (no ERROR or MISSING
node), every import is used, and every import is backed by a dependency in pom.xml
(test-scoped dependencies only from src/test).

    python java_check.py REPO...
"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

import tree_sitter_java
from tree_sitter import Language, Parser

JAVA = Language(tree_sitter_java.language())
POM = "{http://maven.apache.org/POM/4.0.0}"
ANY_STARTER = "spring-boot-starter*"

# Package prefix -> artifactIds that provide it (longest prefix wins; `*` globs).
PROVIDERS = {
    "java.": None, "javax.": None,
    "org.springframework.boot.test": ["spring-boot-starter-test"],
    "org.springframework.test": ["spring-boot-starter-test"],
    "org.junit": ["spring-boot-starter-test"],
    "org.mockito": ["spring-boot-starter-test"],
    "org.assertj": ["spring-boot-starter-test"],
    "org.hamcrest": ["spring-boot-starter-test"],
    "org.springframework.boot.testcontainers": ["spring-boot-testcontainers"],
    "org.springframework.boot.webmvc.test": ["spring-boot-starter-webmvc-test"],
    "org.springframework.test.context.bean.override": ["spring-boot-starter-test"],
    "org.testcontainers.postgresql": ["testcontainers-postgresql"],
    "org.testcontainers.containers.PostgreSQLContainer": ["testcontainers-postgresql"],
    "org.testcontainers.kafka": ["testcontainers-kafka"],
    "org.testcontainers.containers.KafkaContainer": ["testcontainers-kafka"],
    "org.testcontainers.rabbitmq": ["testcontainers-rabbitmq"],
    "org.testcontainers.containers.RabbitMQContainer": ["testcontainers-rabbitmq"],
    "org.testcontainers.junit": ["testcontainers-junit-jupiter"],
    "org.testcontainers": ["testcontainers", "testcontainers-*"],
    "org.springframework.boot.actuate": ["spring-boot-starter-actuator"],
    "org.springframework.boot": [ANY_STARTER],
    "org.springframework.web": ["spring-boot-starter-webmvc", "spring-boot-starter-web"],
    "org.springframework.http": ["spring-boot-starter-webmvc", "spring-boot-starter-web"],
    "org.springframework.validation": ["spring-boot-starter-webmvc", "spring-boot-starter-validation"],
    "org.springframework.data.jpa": ["spring-boot-starter-data-jpa"],
    "org.springframework.data.redis": ["spring-boot-starter-data-redis"],
    "org.springframework.data": ["spring-boot-starter-data-jpa", "spring-boot-starter-data-redis"],
    "jakarta.persistence": ["spring-boot-starter-data-jpa"],
    "jakarta.validation": ["spring-boot-starter-validation"],
    "org.springframework.cache": ["spring-boot-starter-cache"],
    "org.springframework.jdbc": ["spring-boot-starter-jdbc", "spring-boot-starter-data-jpa"],
    "org.springframework.boot.jdbc": ["spring-boot-starter-jdbc", "spring-boot-starter-data-jpa"],
    "org.springframework.transaction": ["spring-boot-starter-jdbc", "spring-boot-starter-data-jpa"],
    "org.springframework.kafka": ["spring-boot-starter-kafka", "spring-kafka"],
    "org.apache.kafka": ["spring-boot-starter-kafka", "spring-kafka"],
    "org.springframework.amqp": ["spring-boot-starter-amqp"],
    "org.springframework.retry": ["spring-retry"],
    "io.micrometer.observation": [ANY_STARTER],
    "io.micrometer": ["micrometer-registry-prometheus", "spring-boot-starter-actuator"],
    "org.flywaydb": ["spring-boot-starter-flyway", "flyway-core"],
    "org.postgresql": ["postgresql"],
    "org.springdoc": ["springdoc-openapi-starter-webmvc-ui"],
    "io.swagger": ["springdoc-openapi-starter-webmvc-ui"],
    "com.fasterxml.jackson": ["spring-boot-starter-webmvc", "spring-boot-starter-json"],
    "tools.jackson": ["spring-boot-starter-webmvc", "spring-boot-starter-json"],
    "org.slf4j": [ANY_STARTER],
    "org.springframework": [ANY_STARTER],
}


def pom_dependencies(pom):
    """artifactId -> scope of every dependency declared in pom.xml."""
    root = ET.parse(pom).getroot()
    deps = {}
    for dep in root.iter(f"{POM}dependency"):
        if dep.find(f"../../{POM}dependencyManagement") is not None:
            continue
        artifact = dep.findtext(f"{POM}artifactId")
        deps[artifact] = dep.findtext(f"{POM}scope") or "compile"
    for managed in root.iter(f"{POM}dependencyManagement"):
        for dep in managed.iter(f"{POM}dependency"):
            deps.pop(dep.findtext(f"{POM}artifactId"), None)
    return deps


def provider_for(name):
    best = max((p for p in PROVIDERS if name == p or name.startswith(p.rstrip(".") + ".")
                or (p.endswith(".") and name.startswith(p))), key=len, default=None)
    return best, PROVIDERS.get(best) if best else None


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


def check_file(path, deps, own_package, is_test):
    source = path.read_bytes()
    tree = Parser(JAVA).parse(source)
    problems = []
    for node in walk(tree.root_node):
        if node.type == "ERROR" or node.is_missing:
            problems.append(f"line {node.start_point[0] + 1}: syntax error near "
                            f"{source[node.start_byte:node.end_byte][:40]!r}")
    used = set()
    imports = []
    for node in walk(tree.root_node):
        if node.type == "import_declaration":
            text = source[node.start_byte:node.end_byte].decode()
            name = re.sub(r"^import\s+(static\s+)?|;$", "", text).strip()
            imports.append((node.start_point[0] + 1, name))
        elif node.type in ("identifier", "type_identifier") and not any(
                a.type in ("import_declaration", "package_declaration") for a in ancestors(node)):
            used.add(source[node.start_byte:node.end_byte].decode())
    for line, name in imports:
        simple = name.rsplit(".", 1)[-1]
        if simple != "*" and simple not in used:
            problems.append(f"line {line}: unused import {name}")
        if own_package and (name == own_package or name.startswith(own_package + ".")):
            continue
        prefix, artifacts = provider_for(name)
        if prefix is None:
            problems.append(f"line {line}: no known dependency provides {name}")
            continue
        if artifacts is None:
            continue
        found = [a for a in deps if any(
            a == want or (want.endswith("*") and a.startswith(want[:-1])) for want in artifacts)]
        usable = [a for a in found if is_test or deps[a] != "test"]
        if not usable:
            where = "test-scoped only" if found else "missing from pom.xml"
            problems.append(f"line {line}: {name} needs one of {', '.join(artifacts)} ({where})")
    return problems


def ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def main(repos):
    failed = 0
    for repo in map(pathlib.Path, repos):
        pom = repo / "pom.xml"
        files = sorted(repo.glob("src/**/*.java"))
        if not pom.exists() and not files:
            continue
        deps = pom_dependencies(pom)
        packages = {re.search(rb"^package\s+([\w.]+)", f.read_bytes(), re.M).group(1).decode()
                    for f in files if re.search(rb"^package\s", f.read_bytes(), re.M)}
        own = min(packages, key=len) if packages else None
        bad = 0
        for f in files:
            problems = check_file(f, deps, own, f.relative_to(repo).as_posix().startswith("src/test/"))
            bad += bool(problems)
            for p in problems:
                print(f"FAIL {f}: {p}")
        failed += bad
        print(f"{'FAIL' if bad else 'ok  '} {repo}: {len(files)} java files")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
