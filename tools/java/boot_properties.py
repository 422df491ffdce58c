#!/usr/bin/env python3
"""Every key of a built Spring Boot repository's application*.yaml must be a property
some library on its classpath declares: Spring Boot binds what it knows and silently
ignores the rest, so a renamed property (Boot 4 turned
`spring.rabbitmq.listener.simple.retry.max-attempts` into `max-retries`) or a typo
changes nothing and says nothing. A key whose deprecation is at level `error` (removed)
fails too.

The declarations are the `META-INF/spring-configuration-metadata.json` files (and their
`additional-` companions) of the jars in `target/app.jar`, so run it after `package`.
Keys under `app.` belong to the service itself and are skipped.

    boot_properties.py REPO
"""

import json
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import yaml

METADATA = (
    "META-INF/spring-configuration-metadata.json",
    "META-INF/additional-spring-configuration-metadata.json",
)


def declared(app_jar: Path):
    """(property names, map-typed prefixes, removed property -> replacement)."""
    names, maps, removed = set(), set(), {}
    with zipfile.ZipFile(app_jar) as app:
        for entry in app.namelist():
            if not (entry.startswith("BOOT-INF/lib/") and entry.endswith(".jar")):
                continue
            with zipfile.ZipFile(BytesIO(app.read(entry))) as lib:
                for meta in METADATA:
                    if meta not in lib.namelist():
                        continue
                    data = json.loads(lib.read(meta))
                    for prop in data.get("properties", []):
                        name = prop["name"]
                        deprecation = prop.get("deprecation") or {}
                        if deprecation.get("level") == "error":
                            removed[name] = deprecation.get("replacement")
                            continue
                        names.add(name)
                        kind = prop.get("type") or ""
                        if kind.startswith("java.util.Map") or kind.startswith("java.util.Properties"):
                            maps.add(name)
    return names, maps, removed


def flatten(node, prefix=""):
    """Dotted keys of a YAML document's leaves (lists count as leaves)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix


def main(repo: Path) -> int:
    app_jar = repo / "target" / "app.jar"
    if not app_jar.is_file():
        print(f"{app_jar} is missing: build the repository first (./mvnw package)", file=sys.stderr)
        return 2
    names, maps, removed = declared(app_jar)
    failures = []
    checked = 0
    for config in sorted((repo / "src/main/resources").glob("application*.y*ml")):
        for document in yaml.safe_load_all(config.read_text()):
            for key in flatten(document or {}):
                if key.startswith("app."):
                    continue
                checked += 1
                if key in removed:
                    hint = f": use {removed[key]}" if removed[key] else ""
                    failures.append(f"{config.name}: {key} was removed{hint}")
                elif key in names or any(key.startswith(m + ".") for m in maps):
                    continue
                else:
                    failures.append(f"{config.name}: {key} is not a property of any library on the classpath")
    for failure in failures:
        print(failure)
    print(f"{checked} keys checked, {len(failures)} unknown or removed")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
