"""Every third-party action a workflow uses is pinned to a full commit SHA, with the
release it is in a `# vX.Y.Z` comment (what Renovate's `helpers:pinGitHubActionDigests`
keeps current). A tag like `@v4` can be moved by whoever controls the action's repository;
a commit cannot (the tj-actions/changed-files compromise of March 2025 rewrote tags).

    actions_pinned.py WORKFLOW...

Local actions (`./path`) and container actions pinned by digest (`docker://...@sha256:`)
pass as they are.
"""

import re
import sys

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?:#\s*(?P<comment>.*))?$")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
RELEASE = re.compile(r"^v\d+(\.\d+)*\b")


def problems(path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = USES.match(line)
            if not m:
                continue
            ref, comment = m["ref"].strip("'\""), (m["comment"] or "").strip()
            if ref.startswith("./") or re.match(r"^docker://.+@sha256:[0-9a-f]{64}$", ref):
                continue
            if not PINNED.match(ref):
                yield f"{path}:{number}: {ref} is not pinned to a full commit SHA"
            elif not RELEASE.match(comment):
                yield f"{path}:{number}: {ref} has no `# vX.Y.Z` comment naming its release"


def main(paths):
    found = [p for path in paths for p in problems(path)]
    for p in found:
        print(p)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
