#!/usr/bin/env python3
"""Golden paths and edits for bench/upgrade-scale.sh and bench/fleet.sh.

  make_fleet_templates.py copy-only N DIR     a golden path of N copied files (no
                                              templating), tags v1.0.0 and v2.0.0
                                              (v2 changes 2% of the files)
  make_fleet_templates.py templated N DIR     N templated files (answers in names
                                              and contents), tags v1.0.0, v2.0.0
  make_fleet_templates.py edit REPO K SEED    K team edits in a generated repo:
                                              some in files v2 changes (conflicts
                                              or clean merges), most elsewhere
"""
import os
import random
import subprocess
import sys

ENV = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost",
           GIT_CONFIG_NOSYSTEM="1")


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True)


def body(i, version, lines=40):
    out = []
    for line in range(lines):
        text = f"setting_{i}_{line}: value {line}"
        if version == 2 and i % 50 == 0 and line == 5:
            text = f"setting_{i}_{line}: value changed in v2"
        if version == 2 and i % 50 == 0 and line == 30:
            text = f"setting_{i}_{line}: another v2 change"
        out.append(text)
    return "\n".join(out) + "\n"


def write_version(root, n, version, templated):
    tpl = os.path.join(root, "template")
    subprocess.run(["rm", "-rf", tpl], check=True)
    os.makedirs(tpl)
    manifest = f'name = "bench"\nversion = "{version}.0.0"\n'
    if templated:
        manifest += '\n[variables.service]\ndefault = "orders"\n\n[variables.team]\ndefault = "platform"\n'
    else:
        manifest += '\n[files]\ncopy = ["**"]\n'
    with open(os.path.join(root, "golden-path.toml"), "w") as f:
        f.write(manifest)
    for i in range(n):
        folder = os.path.join(tpl, f"dir{i % 20}", f"sub{i % 7}")
        os.makedirs(folder, exist_ok=True)
        name = f"file{i}.yaml" if not templated else f"{{{{ service }}}}-file{i}.yaml"
        text = body(i, version)
        if templated:
            text = "service: {{ service }}\nteam: {{ team }}\n" + text
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)


def golden_path(kind, n, root):
    os.makedirs(root, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    for version in (1, 2):
        write_version(root, n, version, kind == "templated")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"v{version}")
        git(root, "tag", f"v{version}.0.0")


def edit(repo, k, seed):
    rng = random.Random(seed)
    files = []
    for dirpath, dirs, names in os.walk(repo):
        dirs[:] = [d for d in dirs if d not in (".git", ".scaffold")]
        files += [os.path.join(dirpath, n) for n in names if n.endswith(".yaml")]
    files.sort()
    for j in range(k):
        path = rng.choice(files)
        with open(path) as f:
            lines = f.read().split("\n")
        # Line 5 collides with v2's change in every 50th file; line 20 never does.
        at = 5 if j % 4 == 0 else 20
        lines[at] = lines[at] + f"  # team edit {seed}-{j}"
        with open(path, "w") as f:
            f.write("\n".join(lines))
    git(repo, "commit", "-qam", "team edits")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd in ("copy-only", "templated"):
        golden_path(cmd, int(sys.argv[2]), sys.argv[3])
    elif cmd == "edit":
        edit(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
