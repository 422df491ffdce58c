#!/usr/bin/env python3
"""Prints medians from a hyperfine JSON export, and each command's ratio to a baseline.

usage: summarize.py RESULTS.json BASELINE_NAME
"""
import json
import sys

results = json.load(open(sys.argv[1]))["results"]
baseline = next(r for r in results if r["command"] == sys.argv[2])
base = baseline["median"]
print(f"| command | median | mean ± σ | runs | ratio to {sys.argv[2]} |")
print("| --- | ---: | ---: | ---: | ---: |")
for r in results:
    ratio = r["median"] / base
    print(f"| {r['command']} | {r['median'] * 1000:.1f} ms | {r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} ms "
          f"| {len(r['times'])} | {ratio:.2f}x |")
