#!/usr/bin/env python3
"""Writes one golden path in three equivalent forms (scaffold, copier,
cookiecutter for cruft), each a git repository tagged v1.0.0 and v2.0.0, and
applies the same user edits to a generated project.

usage: make_upgrade_templates.py templates FILES OUTDIR
       make_upgrade_templates.py edit FILES PROJECT_DIR

v2 changes the bottom of every third file (merges cleanly with the user's
edits), the top of every ninth file (conflicts with the user's edit there),
adds two files and deletes one. The user edits the top of every third file.
"""
import os
import subprocess
import sys

mode, files, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def paths():
    return [f"src/mod{i % 10}/file{i}.txt" for i in range(files)]


def content(i, var, version):
    lines = [f"// file {i} of {var}"] + [f"line {k} of {var}" for k in range(1, 30)]
    if version == 2 and i % 3 == 0:
        lines[25] = f"line 25 changed in v2 for {var}"
    if version == 2 and i % 9 == 0:
        lines[2] = f"line 2 changed in v2 for {var}"
    return "\n".join(lines) + "\n"


def render_files(version, var):
    out = {p: content(i, var, version) for i, p in enumerate(paths())}
    if version == 2:
        del out[paths()[-1]]
        out["src/added/one.txt"] = f"added in v2 for {var}\n"
        out["src/added/two.txt"] = f"also added for {var}\n"
    return out


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x"})


def tagged_repo(root, versions):
    """versions: [(tag, {rel: text})]; each replaces the previous tree."""
    os.makedirs(root, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    for tag, tree in versions:
        for dirpath, _, names in os.walk(root):
            if "/.git" in dirpath or dirpath.endswith(".git"):
                continue
            for n in names:
                os.remove(os.path.join(dirpath, n))
        for rel, text in tree.items():
            write(root, rel, text)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", tag)
        git(root, "tag", tag)


if mode == "templates":
    scaffold, copier, cookie = [], [], []
    for v in (1, 2):
        tag = f"v{v}.0.0"
        s = {"golden-path.toml": f'name = "bench"\nversion = "{v}.0.0"\n[variables.project_name]\ndefault = "bench"\n'}
        s.update({f"template/{p}": t for p, t in render_files(v, "{{ project_name }}").items()})
        scaffold.append((tag, s))
        c = {"copier.yml": "_subdirectory: template\n_templates_suffix: .jinja\nproject_name:\n  type: str\n  default: bench\n",
             "template/{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n"}
        c.update({f"template/{p}.jinja": t for p, t in render_files(v, "{{ project_name }}").items()})
        copier.append((tag, c))
        k = {"cookiecutter.json": '{"project_name": "bench"}\n'}
        k.update({f"{{{{cookiecutter.project_name}}}}/{p}": t for p, t in render_files(v, "{{ cookiecutter.project_name }}").items()})
        cookie.append((tag, k))
    tagged_repo(os.path.join(out, "scaffold-src"), scaffold)
    tagged_repo(os.path.join(out, "copier-src"), copier)
    tagged_repo(os.path.join(out, "cookiecutter-src"), cookie)
    # The floor's inputs: both renders, plain.
    for v, name in ((1, "base"), (2, "theirs")):
        for rel, text in render_files(v, "bench").items():
            write(os.path.join(out, name), rel, text)
elif mode == "edit":
    for i, rel in enumerate(paths()):
        if i % 3 != 0:
            continue
        path = os.path.join(out, rel)
        lines = open(path).read().split("\n")
        lines[1] = f"line 1 edited by the team in file {i}"
        if i % 9 == 0:
            lines[2] = f"line 2 edited by the team in file {i}"
        open(path, "w").write("\n".join(lines))
else:
    sys.exit("usage: make_upgrade_templates.py templates|edit FILES DIR")
