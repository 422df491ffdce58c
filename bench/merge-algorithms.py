#!/usr/bin/env python3
"""Myers or histogram for scaffold's 3-way text merge? (issue 9, item 14)

Builds a corpus of merges from real code and config (this repository's Rust
sources, the built-in golden paths' Java, YAML and JSON): for each file, two
independent sets of line edits (modify, insert, delete, move a block) made
with a fixed seed, as a team and a golden-path release would. Each triple is
merged twice with git itself:

- Myers: `git merge-file -p` (what libgit2's git_merge_file, and so scaffold, does);
- histogram: `git merge-tree --write-tree` on three commits (merge-ort diffs
  with histogram, as `git merge` does).

Prints, per algorithm, how many merges conflict, how many conflict hunks and
conflicting lines they hold, and on how many triples the two disagree.

usage: bench/merge-algorithms.py [CASES] [SEED]
"""
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 7
ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
           GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@x", GIT_COMMITTER_NAME="b",
           GIT_COMMITTER_EMAIL="b@x")


def sources():
    files = []
    for pattern in ["src/**/*.rs", "golden-paths/**/*.java", "golden-paths/**/*.yaml",
                    "golden-paths/**/*.yml", "golden-paths/**/*.json", "golden-paths/**/*.xml"]:
        files += [p for p in ROOT.glob(pattern) if p.stat().st_size > 400]
    return sorted(files)


def edit(lines, rng, n):
    lines = list(lines)
    for _ in range(n):
        if not lines:
            break
        kind = rng.random()
        i = rng.randrange(len(lines))
        if kind < 0.45:
            lines[i] = lines[i].rstrip("\n") + " // changed " + str(rng.randrange(1000)) + "\n"
        elif kind < 0.7:
            block = [f"    inserted {rng.randrange(1000)};\n", "}\n"][: rng.randrange(1, 3)]
            lines[i:i] = block
        elif kind < 0.9:
            del lines[i : i + rng.randrange(1, 4)]
        else:
            j = rng.randrange(len(lines))
            block = lines[i : i + 3]
            del lines[i : i + 3]
            lines[j:j] = block
    return lines


def conflicts(text):
    hunks = text.count("<<<<<<< ")
    inside, n = False, 0
    for line in text.splitlines():
        if line.startswith("<<<<<<< "):
            inside = True
        elif line.startswith(">>>>>>> "):
            inside = False
        elif inside and not line.startswith("=======") and not line.startswith("|||||||"):
            n += 1
    return hunks, n


def git(cwd, *args, input=None):
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, input=input,
                          capture_output=True, text=True)


def main():
    rng = random.Random(SEED)
    files = sources()
    work = Path(tempfile.mkdtemp())
    repo = work / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    stats = {"myers": [0, 0, 0], "histogram": [0, 0, 0]}
    differ = 0
    for case in range(CASES):
        text = files[case % len(files)].read_text(errors="replace").splitlines(keepends=True)
        ours = edit(text, rng, rng.randrange(1, 6))
        theirs = edit(text, rng, rng.randrange(1, 6))
        (work / "base").write_text("".join(text))
        (work / "ours").write_text("".join(ours))
        (work / "theirs").write_text("".join(theirs))
        myers = git(work, "merge-file", "-p", "ours", "base", "theirs").stdout
        commits = []
        for side in ["base", "ours", "theirs"]:
            (repo / "f").write_text((work / side).read_text())
            git(repo, "add", "f")
            parent = ["-p", commits[0]] if commits else []
            tree = git(repo, "write-tree").stdout.strip()
            commits.append(git(repo, "commit-tree", tree, *parent, "-m", side).stdout.strip())
        out = git(repo, "merge-tree", "--write-tree", "--name-only", commits[1], commits[2])
        tree = out.stdout.splitlines()[0]
        histogram = git(repo, "cat-file", "-p", f"{tree}:f").stdout
        for name, merged in [("myers", myers), ("histogram", histogram)]:
            hunks, lines = conflicts(merged)
            stats[name][0] += hunks > 0
            stats[name][1] += hunks
            stats[name][2] += lines
        differ += conflicts(myers) != conflicts(histogram)
    print(f"{CASES} merges from {len(files)} real files (seed {SEED})")
    print(f"{'algorithm':<10} {'conflicted merges':>18} {'conflict hunks':>15} {'conflicting lines':>18}")
    for name, (merges, hunks, lines) in stats.items():
        print(f"{name:<10} {merges:>18} {hunks:>15} {lines:>18}")
    print(f"triples where the two differ: {differ}")


main()
