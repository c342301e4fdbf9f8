#!/usr/bin/env python3
"""Summarises one process's async-profiler output for bench/profile.

usage: profile_summary.py BASE [TOP]

Reads BASE.cpu.collapsed, BASE.cpu-threads.collapsed and BASE.alloc.collapsed (collapsed stacks:
"frame;frame;...;leaf VALUE", root first; jfr-converter marks frame kinds with _[j] compiled,
_[i] inlined, _[k] kernel, _[0] interpreted, ...) and prints: the CPU samples, a breakdown by kind
of work, the top frames by self and by total CPU share, CPU per thread (numbers in thread names
folded), and the top allocation sites in bytes. The first line is a one-line digest.
"""
import collections
import os
import re
import sys

SUFFIX = re.compile(r"_\[[a-z0-9]+\]$")


def stacks(path):
    """(frames root first, value) per line; nothing when the file is missing."""
    if not os.path.exists(path):
        return
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            stack, _, value = line.rpartition(" ")
            if not stack or not value.isdigit():
                continue
            yield stack.split(";"), int(value)


def plain(frame):
    """A frame without its kind marker, Java names dotted."""
    return SUFFIX.sub("", frame).replace("/", ".")


def kind(frames):
    """What a CPU sample was doing, from its stack: a coarse class for the breakdown."""
    leaf = frames[-1]
    joined = ";".join(frames)
    if re.search(r"aes|gcm|ghash|chacha|poly1305|sha\d|AESCrypt|GHASH|com/sun/crypto", joined, re.I) and (
        "SSL" in joined or "ssl" in joined or "crypto" in joined.lower()
    ):
        return "TLS (encryption, decryption, record layer)"
    if re.search(r"CompileBroker|C2Compiler|C1 |Compiler::|Compilation::|compiler_thread", joined):
        return "JIT compiler"
    if re.search(r"G1|GCTask|GangWorker|WorkerThread::run|ParallelGC|CollectedHeap|Shenandoah|ZGC", joined) and not any(
        f.endswith("_[j]") or f.endswith("_[i]") for f in frames
    ):
        return "garbage collector"
    if re.search(r"memmove|memcpy|copy_user|rep_movs|copy_to_user|copy_from_user|_copy_to_iter|_copy_from_iter|copy_page|copy_folio|copyMemory|arraycopy|_disjoint_|conjoint", leaf):
        return "copying bytes (memcpy, user/kernel copies)"
    if re.search(r"clear_page|memset|clear_user", leaf):
        return "zeroing memory"
    if re.search(r"futex|finish_task_switch|schedule|try_to_wake_up|__wake_up|pthread_cond|Parker::|park|Unsafe\.unpark|Unsafe_Park|Unsafe_Unpark", joined):
        return "waiting and waking threads (futex, scheduler)"
    if "exc_page_fault" in joined or "handle_mm_fault" in joined:
        return "page faults"
    if re.search(r"tcp_|inet_|sock_|__sys_send|__sys_recv|epoll", joined) and leaf.endswith("_[k]"):
        return "kernel: TCP, sockets, epoll"
    if re.search(r"vfs_|filemap|shmem|generic_perform_write|ext4_|ext2_|blkdev", joined) and leaf.endswith("_[k]"):
        return "kernel: file system, page cache"
    if leaf.endswith("_[k]"):
        return "kernel, other"
    if re.search(r"ClassLoader|ClassFileParser|SystemDictionary|Verifier|defineClass|linkClass|interpreter|Interpreter", joined):
        return "class loading, interpreter, start-up"
    return "Java and native code, other"


def top(counter, total, n, title, unit="%"):
    out = [title]
    for name, v in counter.most_common(n):
        share = 100.0 * v / total if total else 0
        out.append(f"  {share:5.1f} %  {name}" if unit == "%" else f"  {v / 1e6:9.1f} MB  {share:5.1f} %  {name}")
    return out


def thread_group(name):
    """A thread's name with its pool and instance numbers folded (C2 CompilerThread0 → C2
    CompilerThread, GC Thread#1 → GC Thread, jrmt-client-1-2 → jrmt-client)."""
    name = re.sub(r"\s*tid=\d+", "", name.strip("[]")).strip()
    return re.sub(r"(?:[#-]\d+)+$|(?<=[A-Za-z])\d+$", "", name).strip() or "(unnamed native thread)"


def main():
    base = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    cpu = list(stacks(base + ".cpu.collapsed"))
    total = sum(v for _, v in cpu)
    lines = []
    self_c, total_c, kinds = collections.Counter(), collections.Counter(), collections.Counter()
    for frames, v in cpu:
        self_c[plain(frames[-1])] += v
        kinds[kind(frames)] += v
        for f in set(plain(x) for x in frames):
            total_c[f] += v
    threads = collections.Counter()
    for frames, v in stacks(base + ".cpu-threads.collapsed"):
        threads[thread_group(frames[0])] += v
    alloc = list(stacks(base + ".alloc.collapsed"))
    abytes = sum(v for _, v in alloc)
    sites = collections.Counter()
    for frames, v in alloc:
        cls = plain(frames[-1])
        caller = plain(frames[-2]) if len(frames) > 1 else "?"
        mine = next((plain(f) for f in reversed(frames) if "org/jrmt/" in f or "org.jrmt." in f), None)
        sites[f"{cls} in {caller}" + (f" (from {mine})" if mine and mine != caller else "")] += v
    digest = f"{total} CPU samples; {abytes / 1e6:.0f} MB allocated (sampled)"
    if kinds:
        k, v = kinds.most_common(1)[0]
        digest += f"; most CPU: {k} {100.0 * v / total:.0f} %"
    lines.append(digest)
    lines.append("")
    lines += top(kinds, total, 12, "CPU by kind of work:")
    lines.append("")
    lines += top(threads, total, 15, "CPU by thread (numbers folded):")
    lines.append("")
    lines += top(self_c, total, n, f"Top {n} frames by self CPU:")
    lines.append("")
    lines += top(total_c, total, n + 15, f"Top {n + 15} frames by total CPU (the frame or anything it calls):")
    lines.append("")
    lines += top(sites, abytes, n, f"Top {n} allocation sites (bytes, sampled):", unit="MB")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
