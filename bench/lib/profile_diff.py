#!/usr/bin/env python3
"""The marginal profile: CPU per GB of each kind of work and of each frame, from two bench/profile
runs of the same cases on the small and the large tree.

usage: profile_diff.py SMALL_DIR LARGE_DIR [TOP]

For every CASE.PROC with a CPU profile in both directories: (samples on the large tree - samples
on the small) x the sampling interval / (large tree bytes - small tree bytes), in CPU-seconds per
GB, by kind of work (as profile_summary.py classifies it), by thread, by self frame and by total
frame. The start-up (JVM, classes, JIT of the start, TLS set-up) is in both runs and falls out, as
in bench/run's cost table; what is left is what each byte (and, at this file density, each file)
costs. Two runs, each with its own noise: read small differences as such.
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from profile_summary import kind, plain, stacks, thread_group  # noqa: E402


def run_info(d):
    info = {}
    with open(os.path.join(d, "run.txt")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            info[k] = v
    tree_bytes = int(re.search(r"(\d+) bytes", info["tree"]).group(1))
    m = re.search(r"interval (\d+)(ms|us|ns)?", info.get("async-profiler", ""))
    scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, None: 1e-9}[m.group(2)] if m else 1e-3
    return tree_bytes, int(m.group(1)) * scale if m else 1e-3


def counters(base):
    kinds, selfs, totals, threads = (collections.Counter() for _ in range(4))
    for frames, v in stacks(base + ".cpu.collapsed"):
        kinds[kind(frames)] += v
        selfs[plain(frames[-1])] += v
        for f in set(plain(x) for x in frames):
            totals[f] += v
    for frames, v in stacks(base + ".cpu-threads.collapsed"):
        threads[thread_group(frames[0])] += v
    return kinds, selfs, totals, threads


def main():
    small, large = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    bs, interval = run_info(small)
    bl, interval_l = run_info(large)
    if interval != interval_l or bl <= bs:
        sys.exit("profile_diff.py: the runs differ in interval, or the large tree is not larger")
    gb = (bl - bs) / 1e9
    names = sorted(
        f[: -len(".cpu.collapsed")]
        for f in os.listdir(large)
        if f.endswith(".cpu.collapsed") and os.path.exists(os.path.join(small, f))
    )
    for name in names:
        cs, cl = counters(os.path.join(small, name)), counters(os.path.join(large, name))
        total_s = sum(cs[0].values()) * interval
        total_l = sum(cl[0].values()) * interval
        print(f"== {name}: {total_s:.2f} CPU-s on {bs} bytes, {total_l:.2f} on {bl}: "
              f"{(total_l - total_s) / gb:.2f} CPU-s/GB marginal")
        for title, i, n in (("by kind of work", 0, 14), ("by thread", 3, 12),
                            ("by self frame", 1, top), ("by total frame (it and what it calls)", 2, top + 20)):
            print(f"  {title} (CPU-s/GB, marginal):")
            diff = collections.Counter()
            for k in set(cs[i]) | set(cl[i]):
                diff[k] = (cl[i][k] - cs[i][k]) * interval / gb
            for k, v in sorted(diff.items(), key=lambda kv: -abs(kv[1]))[:n]:
                print(f"    {v:7.3f}  {k}")
        print()


if __name__ == "__main__":
    main()
