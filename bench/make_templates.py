#!/usr/bin/env python3
"""Writes one template in three equivalent forms: scaffold, copier and kickstart.

usage: make_templates.py FILES OUTDIR

About FILES files: small templated files under templated folder names, a
conditional folder, a few large files (~100 KiB), three binary files and an
executable script. Text files use only syntax Tera and Jinja2 share, so all
three tools render byte-identical output (except kickstart's lost exec bit).
"""
import os
import random
import stat
import sys

files = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(42)

SMALL = """// {i} of {{{{ project_name }}}} ({{{{ project_name | upper }}}})
{{% for item in ["alpha", "beta", "gamma", "delta"] %}}
const {{{{ item | upper }}}}_{i} = "{{{{ project_name }}}}-{{{{ item }}}}-{{{{ loop.index }}}}";
{{% endfor %}}
{{% if use_db %}}
database = "{{{{ db_name }}}}"
{{% else %}}
database = "none"
{{% endif %}}
""" + "".join(f"// padding line {k} keeps the file a realistic size\n" for k in range(30))

LARGE_BLOCK = "row {{{{ project_name }}}} {k}: lorem ipsum dolor sit amet, consectetur adipiscing elit\n"


def large(i):
    lines = [f"# large file {i} for {{{{ project_name }}}}\n"]
    lines += [LARGE_BLOCK.format(k=k) for k in range(1300)]  # ~100 KiB
    return "".join(lines)


n_large = max(3, files // 33)
n_binary = 3
n_db = max(1, files // 10)
n_small = files - n_large - n_binary - n_db - 1

entries = []  # (relative path in template, content bytes or str, executable, rendered?)
for i in range(n_small):
    entries.append((f"{{{{ project_name }}}}/src/mod{i % 10}/file{i}.txt", SMALL.format(i=i), False, True))
for i in range(n_db):
    entries.append((f"db/migration{i}.sql", SMALL.format(i=f"db{i}"), False, True))
for i in range(n_large):
    entries.append((f"data/large{i}.txt", large(i), False, True))
for i in range(n_binary):
    blob = bytes(rng.randrange(256) for _ in range(20000)) + b"\0"
    entries.append((f"assets/blob{i}.bin", blob, False, False))
entries.append(("scripts/run.sh", "#!/bin/sh\necho 'running {{ project_name }}'\n", True, True))


def write(root, rel, content, executable):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(content, bytes) else "w"
    with open(path, mode) as f:
        f.write(content)
    if executable:
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


# scaffold
root = os.path.join(out, "scaffold")
os.makedirs(root, exist_ok=True)
with open(os.path.join(root, "golden-path.toml"), "w") as f:
    f.write("""name = "bench"
version = "1.0.0"
[variables.project_name]
default = "bench"
[variables.use_db]
type = "boolean"
default = true
[variables.db_name]
default = "benchdb"
[[conditions]]
paths = ["db"]
when = "use_db"
""")
for rel, content, ex, _ in entries:
    write(os.path.join(root, "template"), rel, content, ex)

# copier: rendered files carry the .jinja suffix, the rest is copied
root = os.path.join(out, "copier")
os.makedirs(root, exist_ok=True)
with open(os.path.join(root, "copier.yml"), "w") as f:
    f.write("""_subdirectory: template
_templates_suffix: .jinja
project_name:
  type: str
  default: bench
use_db:
  type: bool
  default: true
db_name:
  type: str
  default: benchdb
""")
for rel, content, ex, rendered in entries:
    rel = rel.replace("db/", "{% if use_db %}db{% endif %}/", 1) if rel.startswith("db/") else rel
    write(os.path.join(root, "template"), rel + (".jinja" if rendered else ""), content, ex)

# kickstart
root = os.path.join(out, "kickstart")
os.makedirs(root, exist_ok=True)
with open(os.path.join(root, "template.toml"), "w") as f:
    f.write("""name = "bench"
kickstart_version = 1
copy_without_render = ["assets/*.bin"]
cleanup = [{ name = "use_db", value = false, paths = ["db"] }]

[[variables]]
name = "project_name"
default = "bench"
prompt = "Name?"

[[variables]]
name = "use_db"
default = true
prompt = "Database?"

[[variables]]
name = "db_name"
default = "benchdb"
prompt = "Database name?"
""")
for rel, content, ex, _ in entries:
    write(root, rel, content, ex)

print(f"{len(entries)} files per template under {out}")
