#!/usr/bin/env python3
"""Writes the benchmark data set: a tree of FILES files holding about MB * 10^6 bytes of
incompressible data, with a realistic size mix, deterministic from a fixed seed.

Sizes follow a log-normal distribution (median 4 KiB, sigma 2: many small files, a long tail of
large ones, the largest capped at 64 MiB), scaled so that they add up to the target; about 2 % of
the files are empty. Files sit in directories of 5 to 40 entries, up to four levels deep. The
bytes come from os.urandom, so neither a compressor nor a deduplicating file system can shrink
them. Prints "files N bytes B dirs D".

usage: dataset.py DIR FILES MB
"""
import math
import os
import random
import sys


def main():
    root, files, mb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    target = int(mb * 1e6)
    rng = random.Random(4768)
    raw = []
    for _ in range(files):
        if rng.random() < 0.02:
            raw.append(0.0)
        else:
            raw.append(min(rng.lognormvariate(math.log(4096), 2.0), 64 << 20))
    scale = target / sum(raw)
    sizes = [min(int(s * scale), 64 << 20) for s in raw]
    # Rounding and the cap leave a small difference: give it to the largest file.
    sizes[sizes.index(max(sizes))] += target - sum(sizes)

    dirs = [(root, 0)]
    os.makedirs(root, exist_ok=True)
    left_in_dir = 0
    current = root
    for i, size in enumerate(sizes):
        if left_in_dir == 0:
            shallow = [d for d in dirs[-40:] if d[1] < 4]
            parent, depth = rng.choice(shallow) if shallow else (root, 0)
            current = os.path.join(parent, "d%04d" % len(dirs))
            os.mkdir(current)
            dirs.append((current, depth + 1))
            left_in_dir = rng.randint(5, 40)
        left_in_dir -= 1
        with open(os.path.join(current, "f%05d.bin" % i), "wb") as f:
            remaining = size
            while remaining > 0:
                n = min(remaining, 1 << 20)
                f.write(os.urandom(n))
                remaining -= n
    print("files %d bytes %d dirs %d" % (len(sizes), sum(sizes), len(dirs)))


if __name__ == "__main__":
    main()
