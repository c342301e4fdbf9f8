#!/usr/bin/env python3
"""Turns bench/run's results file into the generated part of docs/benchmarks.md.

usage: report.py RESULTS DOC WRITE

RESULTS has tab-separated lines: "case ID UNIT V1 V2 ..." (one value per run), "skip ID REASON",
"meta KEY VALUE". Prints the Markdown; with WRITE = 1 it replaces the part of DOC between
"<!-- bench:begin" and "<!-- bench:end -->" (the hand-written text around it stays).
"""
import re
import statistics
import sys

results, doc_path, write = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
cases, units, skips, meta = {}, {}, {}, {}
for line in open(results):
    parts = line.rstrip("\n").split("\t")
    if parts[0] == "case":
        vals = [float(v) for v in parts[3].split()]
        if vals:
            cases[parts[1]] = vals
            units[parts[1]] = parts[2]
    elif parts[0] == "skip":
        skips[parts[1]] = parts[2]
    elif parts[0] == "meta":
        meta[parts[1]] = parts[2]


def med(cid):
    return statistics.median(cases[cid]) if cid in cases else None


def num(x):
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:,.0f}".replace(",", " ")
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def stat(cid, scale=1.0):
    """'median (min–max)' or why it is missing."""
    if cid not in cases:
        return "not run" if cid not in skips else "skipped"
    v = [x * scale for x in cases[cid]]
    m = statistics.median(v)
    if len(v) == 1:
        return num(m)
    return f"{num(m)} ({num(min(v))}–{num(max(v))})"


def ratio(a, b):
    ma, mb = med(a), med(b)
    if ma is None or mb is None or mb == 0:
        return None
    return ma / mb


def rfmt(r):
    if r is None:
        return "—"
    return f"{r:.2f} ×" if r < 10 else f"{r:.0f} ×"


def marginal(row, proc, prefix="cost"):
    """CPU-seconds per GB between the small and the large tree, run by run (the runs of one round
    are paired), and the fixed part (CPU-seconds at zero bytes: the JVM's start and the rest paid
    once per run). None when either size is missing. GB = 10^9 bytes of the data set."""
    small, large = cases.get(f"{prefix}.{row}.S.{proc}"), cases.get(f"{prefix}.{row}.L.{proc}")
    try:
        bs, bl = float(meta["cost_bytes_S"]), float(meta["cost_bytes_L"])
    except (KeyError, ValueError):
        return None
    if not small or not large or bl <= bs:
        return None
    n = min(len(small), len(large))
    slopes = [(large[i] - small[i]) / ((bl - bs) / 1e9) for i in range(n)]
    fixed = [small[i] - slopes[i] * bs / 1e9 for i in range(n)]
    return slopes, fixed


def spread(v):
    """'median (min–max)' of a list of values."""
    m = statistics.median(v)
    return num(m) if len(v) == 1 else f"{num(m)} ({num(min(v))}–{num(max(v))})"


def mslope(row, proc, prefix="cost"):
    m = marginal(row, proc, prefix)
    return None if m is None else statistics.median(m[0])


def rate_of(cid, nbytes):
    """MB/s of nbytes over each run's wall seconds in case cid."""
    if cid not in cases or not nbytes:
        return None
    return [nbytes / 1e6 / t for t in cases[cid] if t > 0]


out = []
w = out.append
quick = meta.get("quick") == "1"
w("<!-- bench:begin (written by bench/run; edits here are lost) -->")
w("")
if quick:
    w("> **Quick run** (`--quick`: one run per case, a tenth of the data set, short runs): a test of")
    w("> the harness, not a measurement. Run `bench/run` for numbers.")
    w("")
w(f"- Date: {meta.get('date')}; jrmt commit {meta.get('commit')}; the run took "
  f"{int(meta.get('elapsed', 0)) // 60} min {int(meta.get('elapsed', 0)) % 60} s; "
  f"groups: {meta.get('groups')}; {meta.get('runs')} runs per case")
secs = [f"{k[8:]} {int(v) // 60}:{int(v) % 60:02d}" for k, v in meta.items() if k.startswith("seconds_")]
if secs:
    w("- Time per group (min:s): " + ", ".join(secs))
w(f"- Machine: {meta.get('cpus')} CPUs \"{meta.get('cpu_model')}\", {meta.get('mem')}, "
  f"Linux {meta.get('kernel')}; load average at the start {meta.get('load_start', '?')}, at the end {meta.get('load')}")
loads = [f"{k[5:]} {v}" for k, v in meta.items() if k.startswith("load_") and k != "load_start"]
if loads:
    w("- Load average (1, 5, 15 min) at the end of each group: " + "; ".join(loads))
w(f"- JDK: {meta.get('jdk')}; jrmtd's TLS: {meta.get('tls_impl')}; ssh cipher: "
  f"{meta.get('ssh_cipher')}; {meta.get('tar_version')}; {meta.get('dump_version')}")
if "data_set" in meta:
    w(f"- Data set: {meta['data_set']}, made by bench/lib/dataset.py (random bytes, log-normal "
      f"sizes)")
w(f"- Local outputs and virtual tapes on {meta.get('disk_fs')} (page cache, no fsync)")
w("- Values: median (min–max) over the runs; ratios are of medians from this same run. "
  "MB = 10^6 bytes, GB = 10^9.")
w("")

# --- targets -----------------------------------------------------------------------------------
w("### Targets")
w("")
w("| issue | target | measured | ratio / value | |")
w("|---|---|---|---|---|")


def target(issue, text, measured, value, threshold, unit="×"):
    if value is None:
        mark = "not run"
        shown = "—"
    else:
        mark = "**pass**" if value >= threshold else "**short**"
        shown = f"{value:.2f} {unit}" if unit == "×" else f"{value:.0f} {unit}" if unit == "%" else f"{value:.2f} {unit}"
    w(f"| {issue} | {text} | {measured} | {shown} | {mark} |")


simh = ratio("jmh.SimhWriteBenchmark.simhTape", "jmh.SimhWriteBenchmark.fileChannelSameBytes")
target("#3", "SimhTape 64 KiB writes ≥ 0.90 × FileChannel writing the same bytes (JMH)",
       f"{stat('jmh.SimhWriteBenchmark.simhTape')} vs {stat('jmh.SimhWriteBenchmark.fileChannelSameBytes')} ops/s",
       simh, 0.90)
target("#4", "jrmtd, one session, 64 KiB, loopback, /dev/null, plain TCP ≥ 1.5 GB/s",
       f"{stat('sink.null.plain')} GB/s; anchor tar → ssh → rmt-tar {stat('sink.tar-ssh')}",
       med("sink.null.plain"), 1.5, "GB/s")
target("#4", "the same over TLS 1.3 ≥ 1.0 GB/s",
       f"{stat('sink.null.tls')} GB/s", med("sink.null.tls"), 1.0, "GB/s")
p = ratio("rmt.10k.20.rt", "rmt.10k.0.rt")
target("#5", "RemoteTape pipelined, 10 KiB records: at 20 ms RTT ≥ 80 % of its 0 ms throughput",
       f"{stat('rmt.10k.20.rt')} vs {stat('rmt.10k.0.rt')} MB/s", None if p is None else p * 100,
       80, "%")
big = med("rmt.1m.20.rt")
target("#5", "the default window keeps 1 GB/s flowing over 20 ms RTT (RemoteTape, 1 MiB records)",
       f"{stat('rmt.1m.20.rt')} MB/s", None if big is None else big / 1000, 1.0, "GB/s")
def warm_note(cid, anchor):
    r = ratio(f"dump.warm.{cid}", f"dump.warm.{anchor}")
    if r is None:
        return ""
    return f"; warm {stat(f'dump.warm.{cid}')} vs {stat(f'dump.warm.{anchor}')}: {rfmt(r)}"


target("#6", "jdump to a local file ≥ 1 × `tar -b 128 -cf FILE` of the same tree (cold)",
       f"{stat('dump.local.jdump')} vs {stat('dump.local.tar')} MB/s; Linux dump {stat('dump.local.dump')}"
       + warm_note("local.jdump", "local.tar"),
       ratio("dump.local.jdump", "dump.local.tar"), 1.0)
for bs in ("1024", "10"):
    target("#6", f"jdump → jrmtd over TLS ≥ 2 × Linux dump → ssh → rmt-dump, `-b {bs}` (cold)",
           f"{stat(f'dump.net.{bs}.jdump-tls')} vs {stat(f'dump.net.{bs}.dump-ssh')} MB/s"
           + warm_note(f"net.{bs}.jdump-tls", f"net.{bs}.dump-ssh"),
           ratio(f"dump.net.{bs}.jdump-tls", f"dump.net.{bs}.dump-ssh"), 2.0)
target("#7", "`jrestore -t` over loopback from jrmtd (TLS) ≥ 1 × stock `restore -t` of the file locally",
       f"{stat('restore.jrestore-tls')} vs {stat('restore.restore')} MB/s (plain TCP {stat('restore.jrestore-net')})",
       ratio("restore.jrestore-tls", "restore.restore"), 1.0)
def target_at_most(issue, text, measured, value, threshold, unit):
    """A target met when the value is at most the threshold (a cost, a time)."""
    if value is None:
        w(f"| {issue} | {text} | {measured} | — | not run |")
        return
    # Judged as shown (two decimals): float noise in a slope must not turn 0.80 into short.
    mark = "**pass**" if round(value, 2) <= threshold else "**short**"
    w(f"| {issue} | {text} | {measured} | {value:.2f} {unit} | {mark} |")


def cost_measured(row, proc):
    m = marginal(row, proc)
    return "—" if m is None else f"{spread(m[0])} CPU-s/GB"


if any(k.startswith(("cost.", "twohost.", "wan.", "startup.")) for k in list(cases) + list(skips)):
    tar_m, jd_m = mslope("tar-local", "client"), mslope("jdump-local", "client")
    target_at_most("#17", "marginal CPU per GB, jdump → local file ≤ 1.5 × GNU tar's (same run)",
                   f"{cost_measured('jdump-local', 'client')} vs tar {cost_measured('tar-local', 'client')}",
                   None if tar_m is None or jd_m is None or tar_m <= 0 else jd_m / tar_m, 1.5, "×")
    target_at_most("#17", "marginal CPU per GB, jdump → jrmtd over TLS: client ≤ 2.0 CPU-s/GB",
                   cost_measured("jdump-tls", "client"), mslope("jdump-tls", "client"), 2.0, "CPU-s/GB")
    target_at_most("#17", "the same, server (jrmtd) ≤ 0.8 CPU-s/GB",
                   cost_measured("jdump-tls", "server"), mslope("jdump-tls", "server"), 0.8, "CPU-s/GB")
    two = rate_of("twohost.tls.L.wall", float(meta.get("cost_bytes_L", 0)))
    target("#17", "two one-core hosts (taskset): jdump → jrmtd over TLS, 1 MiB records, 1.5 GB tree ≥ 400 MB/s",
           "—" if two is None else f"{spread(two)} MB/s (whole run)",
           None if two is None else statistics.median(two), 400, "MB/s")
    wb = float(meta.get("wan_bytes", 0))
    w20, w0 = rate_of("wan.64k.20.wall", wb), rate_of("wan.64k.0.wall", wb)
    target("#17", "`jrestore -x` across 20 ms RTT ≥ 80 % of its 0 ms throughput, 64 KiB records (LatencyRelay)",
           "—" if not w20 or not w0 else f"{spread(w20)} vs {spread(w0)} MB/s",
           None if not w20 or not w0 else statistics.median(w20) / statistics.median(w0) * 100, 80, "%")
    t = cases.get("startup.jrestore-t.wall")
    target_at_most("#17", "`jrestore -t` of a tiny dump ≤ 0.10 s wall on the default JDK",
                   "—" if t is None else f"{spread(t)} s; `java -version` {stat('startup.java-version.wall')} s",
                   None if t is None else statistics.median(t), 0.10, "s")
w("| #2 | `.ci/run` well inside 30 minutes on 2 cores | not a benchmark: timed by CI, not by bench/run | — | — |")
w("")

# --- physical limits ---------------------------------------------------------------------------
if any(k.startswith("limit.") for k in cases):
    w("### Physical limits (same run)")
    w("")
    w("| limit | GB/s |")
    w("|---|---|")
    w(f"| loopback TCP, one stream ({meta.get('loopback_tool', '')}) | {stat('limit.loopback')} |")
    w(f"| file system write, into the page cache (dd, 1 MiB blocks) | {stat('limit.fs-cache')} |")
    w(f"| file system write, to the disk (dd conv=fdatasync) | {stat('limit.fs-sync')} |")
    w("")

# --- rmt matrix --------------------------------------------------------------------------------
rmt_paths = [
    ("tar-ssh", "GNU tar → ssh → rmt-tar (**anchor**)"),
    ("tar-rsh", "GNU tar → jrmt-rsh → jrmtd"),
    ("tar-rsh-tls", "GNU tar → jrmt-rsh → jrmtd, TLS"),
    ("rt", "RemoteTape → jrmtd, pipelined"),
    ("rt-tls", "RemoteTape → jrmtd, TLS, pipelined"),
    ("rt-saw", "RemoteTape → jrmtd, stop-and-wait"),
]
recs = [("10k", "10 KiB (tar -b 20)"), ("64k", "64 KiB (-b 128)"), ("1m", "1 MiB (-b 2048)")]
rtts = ["0", "2", "20"]
if any(k.startswith("rmt.") for k in cases):
    w("### rmt write throughput by record size and round trip (MB/s, /dev/null)")
    w("")
    w("Every byte passes a `LatencyRelay` (tests module) adding half the round trip each way, also "
      "at 0 ms. tar: one archive per run, time including tar's, the connector's and the login's "
      f"start. RemoteTape: one session per run of {meta.get('rt_seconds')} s after a "
      f"{meta.get('rt_warmup')} s warm-up session in the same JVM. × = median / anchor's median.")
    w("")
    w("| records | path | 0 ms | × | 2 ms | × | 20 ms | × |")
    w("|---|---|---|---|---|---|---|---|")
    for rec, rdesc in recs:
        for key, desc in rmt_paths:
            ids = [f"rmt.{rec}.{t}.{key}" for t in rtts]
            if not any(i in cases or i in skips for i in ids):
                continue
            cells = []
            for t, i in zip(rtts, ids):
                cells.append(stat(i))
                cells.append("—" if key == "tar-ssh" else rfmt(ratio(i, f"rmt.{rec}.{t}.tar-ssh")))
            w(f"| {rdesc} | {desc} | " + " | ".join(cells) + " |")
    w("")

# --- sink --------------------------------------------------------------------------------------
if any(k.startswith("sink.") for k in cases):
    w("### One session, 64 KiB records, loopback without relay (GB/s)")
    w("")
    w(f"`RmtThroughputClient` (tests module, Netty, 256 requests in flight) in its own JVM, one "
      f"session per run after a {meta.get('sink_warmup')} warm-up; {meta.get('sink_bytes')} per run "
      f"to /dev/null, {meta.get('simh_bytes')} to the SIMH tape, {meta.get('saw_bytes')} "
      "stop-and-wait.")
    w("")
    w("| case | GB/s | × anchor | × null, plain |")
    w("|---|---|---|---|")
    for cid, desc in [
        ("sink.tar-ssh", "GNU tar -b 128 → ssh → rmt-tar, /dev/null (**anchor**)"),
        ("sink.null.plain", "client → jrmtd → /dev/null, plain TCP, pipelined"),
        ("sink.null.tls", "client → jrmtd → /dev/null, TLS 1.3, pipelined"),
        ("sink.simh.plain", "client → jrmtd → SIMH virtual tape, plain TCP, pipelined"),
        ("sink.null.plain-saw", "client → jrmtd → /dev/null, plain TCP, stop-and-wait"),
    ]:
        if cid in cases or cid in skips:
            w(f"| {desc} | {stat(cid)} | {'—' if cid == 'sink.tar-ssh' else rfmt(ratio(cid, 'sink.tar-ssh'))} "
              f"| {'—' if cid == 'sink.null.plain' else rfmt(ratio(cid, 'sink.null.plain'))} |")
    w("")

# --- dump --------------------------------------------------------------------------------------
for prefix, title, note in (
    ("dump", "caches emptied before every run (cold)",
     "`sync; echo 3 > /proc/sys/vm/drop_caches` before each run: the tree, and each program's own files, "
     "come from the file systems, as in a nightly backup. The targets are judged on these figures."),
    ("dump.warm", "the tree already in memory (warm)",
     "The same runs without emptying the caches: the tree and the programs are in the page cache."),
):
    if not any(k.startswith(prefix + ".local.") or k.startswith(prefix + ".net.") for k in cases):
        continue
    w(f"### Dump speed, {title} (MB/s of the data set)")
    w("")
    w(note)
    w("")
    w("| where | program | MB/s | × anchor |")
    w("|---|---|---|---|")
    rows = [
        ("local file, 64 KiB records", f"{prefix}.local.tar", "`tar -b 128 -cf FILE TREE` (**anchor**)", None),
        ("", f"{prefix}.local.jdump", "`bin/jdump -0 -b 128 -f FILE TREE`", f"{prefix}.local.tar"),
        ("", f"{prefix}.local.dump", "Linux `dump -0 -b 128 -f FILE /dev/loopN` (ext2 image of the tree)",
         f"{prefix}.local.tar"),
    ]
    for bs, desc in (("1024", "1 MiB records"), ("10", "10 KiB records")):
        rows += [
            (f"loopback to a tape server, {desc}", f"{prefix}.net.{bs}.dump-ssh",
             f"Linux `dump -b {bs}` → ssh → rmt-dump, to a file (**anchor**)", None),
            ("", f"{prefix}.net.{bs}.jdump-tls", f"`bin/jdump -0 -b {bs} -f 127.0.0.1:NAME` → jrmtd, TLS, SIMH tape",
             f"{prefix}.net.{bs}.dump-ssh"),
        ]
    for where, cid, desc, anchor in rows:
        if cid in cases or cid in skips:
            w(f"| {where} | {desc} | {stat(cid)} | {'—' if anchor is None else rfmt(ratio(cid, anchor))} |")
    w("")

# --- restore -----------------------------------------------------------------------------------
if any(k.startswith("restore.") for k in cases):
    w(f"### Listing a dump: `restore -t` (MB/s of dump bytes; {meta.get('restore_source', '')})")
    w("")
    w("| program | MB/s | × anchor |")
    w("|---|---|---|")
    for cid, desc in [
        ("restore.restore", "stock `restore -t -f FILE` (**anchor**)"),
        ("restore.jrestore", "`bin/jrestore -t -f FILE`"),
        ("restore.jrestore-net", "`bin/jrestore -t -f 127.0.0.1:FILE` from jrmtd, plain TCP"),
        ("restore.jrestore-tls", "`bin/jrestore -t -f 127.0.0.1:FILE` from jrmtd, TLS"),
    ]:
        if cid in cases or cid in skips:
            w(f"| {desc} | {stat(cid)} | {'—' if cid == 'restore.restore' else rfmt(ratio(cid, 'restore.restore'))} |")
    w("")

# --- scale -------------------------------------------------------------------------------------
if any(k.startswith("scale.") for k in cases):
    w("### Server scale: concurrent sessions (64 KiB records, plain TCP, 64 in flight each, null devices)")
    w("")
    w(f"{meta.get('scale_bytes')} per run shared by the sessions, all from one client JVM (one "
      "event loop); aggregate = all bytes over the time from the first connect to the last close. "
      "Peak RSS: jrmtd's VmHWM over the case's runs (reset before each case).")
    w("")
    w("| sessions | aggregate GB/s | × 1 session | jrmtd peak RSS MB |")
    w("|---|---|---|---|")
    for n in ("1", "8", "64"):
        cid = f"scale.{n}"
        if cid in cases or cid in skips:
            w(f"| {n} | {stat(cid)} | {'—' if n == '1' else rfmt(ratio(cid, 'scale.1'))} | {stat(cid + '.rss')} |")
    w("")

# --- JMH ---------------------------------------------------------------------------------------
if any(k.startswith("jmh.") for k in cases):
    w(f"### JMH micro-benchmarks (`{meta.get('jmh_opts')}`; values per measured iteration)")
    w("")
    w("| benchmark | what one operation is | ops/s | bytes/s |")
    w("|---|---|---|---|")
    desc = {
        "jmh.SimhWriteBenchmark.simhTape": "one 64 KiB record via SimhTape.write (65 544 bytes)",
        "jmh.SimhWriteBenchmark.fileChannelSameBytes": "the same 65 544 framed bytes, one FileChannel.write",
        "jmh.SimhWriteBenchmark.fileChannel": "the bare 64 KiB, one FileChannel.write",
        "jmh.CodecBenchmark.smallCommands": "one small request decoded (O, I, S, s, L, R, i, V, C mix)",
    }
    per_op = {"jmh.SimhWriteBenchmark.simhTape": 65536, "jmh.SimhWriteBenchmark.fileChannelSameBytes": 65544,
              "jmh.SimhWriteBenchmark.fileChannel": 65536}
    def order(k):
        return [int(p) if p.isdigit() else p for p in k.split(".")]

    for cid in sorted((k for k in cases if k.startswith("jmh.")), key=order):
        d = desc.get(cid)
        size = per_op.get(cid)
        m = re.match(r"jmh\.CodecBenchmark\.(writeFraming|writeEncoding)\.(\d+)", cid)
        if m:
            size = int(m.group(2))
            d = (f"one W record of {size} bytes decoded from 512 KiB reads" if m.group(1) == "writeFraming"
                 else f"one W request of {size} bytes encoded (client side)")
        # Encoding adds the payload by reference: a byte rate would say nothing.
        by_ref = ".writeEncoding." in cid
        bps = "—" if size is None or by_ref else f"{med(cid) * size / 1e9:.2f} GB/s"
        w(f"| `{cid[4:]}` | {d or ''} | {stat(cid)} | {bps} |")
    w("")

# --- cost per GB (issue 17) --------------------------------------------------------------------
cost_rows = [
    ("tar-local", "GNU `tar -b 2048 -cf FILE TREE` → local file (**anchor**)", ["client"]),
    ("dump-local", "Linux `dump -0 -b 1024 -f FILE /dev/loopN` → local file", ["client"]),
    ("jdump-local", "`jdump -0 -b 1024 -f FILE TREE` → local file", ["client"]),
    ("dump-ssh", "Linux `dump -b 1024` → ssh → rmt-dump, to a file", ["client", "server"]),
    ("jdump-tcp", "`jdump -b 1024` → jrmtd, plain TCP, SIMH tape", ["client", "server"]),
    ("jdump-tls", "`jdump -b 1024` → jrmtd, TLS, SIMH tape", ["client", "server"]),
    ("restore-ssh", "stock `restore -r -b 1024` ← ssh ← rmt-dump (jdump's file)", ["client", "server"]),
    ("jrestore-tcp", "`jrestore -x` ← jrmtd, plain TCP, SIMH tape", ["client", "server"]),
    ("jrestore-tls", "`jrestore -x` ← jrmtd, TLS, SIMH tape", ["client", "server"]),
]
def who(row, proc):
    """The process(es) a cgroup holds, for the table."""
    if row in ("dump-ssh", "restore-ssh"):
        return f"{row.split('-')[0]} + ssh" if proc == "client" else "sshd + rmt-dump"
    if proc == "server":
        return "jrmtd"
    return row.split("-")[0]
if any(k.startswith("cost.") for k in list(cases) + list(skips)):
    bs, bl = meta.get("cost_bytes_S"), meta.get("cost_bytes_L")
    w("### CPU cost per GB, marginal (issue 17)")
    w("")
    w(f"CPU-seconds (user + system) of every process of a case, per GB of the data set, as the slope "
      f"between a tree of {meta.get('cost_files_S')} files, {bs} bytes and one of "
      f"{meta.get('cost_files_L')} files, {bl} bytes (warm, on tmpfs; outputs and SIMH tapes on tmpfs; "
      f"1 MiB records), run by run; fixed = the CPU-seconds a run costs at zero bytes (JVM start, "
      f"scan set-up, TLS handshake). Measured by {meta.get('cpu_method', '?')}. Client = the command "
      f"with all its threads and children; server = the daemon's cgroup over the run. MB/s: the "
      f"large tree over the whole run's wall time. × tar: marginal / tar's.")
    w("")
    w("| case | process | CPU-s per GB, marginal | × tar | fixed CPU-s | MB/s (large tree) |")
    w("|---|---|---|---|---|---|")
    tar_m = mslope("tar-local", "client")
    for row, desc, procs in cost_rows:
        if f"cost.{row}" in skips:
            w(f"| {desc} | — | skipped | — | — | — |")
            continue
        for proc in procs:
            m = marginal(row, proc)
            if m is None:
                continue
            r = None if tar_m is None or tar_m <= 0 else statistics.median(m[0]) / tar_m
            mbs = rate_of(f"cost.{row}.L.wall", float(bl or 0))
            name = who(row, proc)
            w(f"| {desc} | {name} | {spread(m[0])} | {'—' if row == 'tar-local' else rfmt(r)} | "
              f"{spread(m[1])} | {'—' if mbs is None or proc != procs[0] else spread(mbs)} |")
    w("")

if any(k.startswith("twohost.") for k in list(cases) + list(skips)):
    bs, bl = float(meta.get("cost_bytes_S", 0)), float(meta.get("cost_bytes_L", 0))
    w("### Two one-core hosts: jdump on CPU 0, jrmtd on CPU 1 (taskset), 1 MiB records")
    w("")
    w("jrmtd started under `taskset -c 1` (so it sizes its pools for one CPU), `jdump` under "
      "`taskset -c 0`; the other processes of the machine are not fenced off. MB/s whole run: the "
      "large tree over the command's wall time; streaming: the two trees' difference in bytes over "
      "their difference in time (start and scan set-up removed).")
    w("")
    w("| transport | MB/s whole run | MB/s streaming | client CPU-s/GB, marginal | server CPU-s/GB, marginal |")
    w("|---|---|---|---|---|")
    for mode, desc in (("tls", "TLS"), ("tcp", "plain TCP")):
        if f"twohost.{mode}" in skips:
            w(f"| {desc} | skipped | | | |")
            continue
        whole = rate_of(f"twohost.{mode}.L.wall", bl)
        ws, wl = cases.get(f"twohost.{mode}.S.wall"), cases.get(f"twohost.{mode}.L.wall")
        stream = None
        if ws and wl:
            stream = [(bl - bs) / 1e6 / (wl[i] - ws[i]) for i in range(min(len(ws), len(wl))) if wl[i] > ws[i]]
        mc, ms = marginal(mode, "client", "twohost"), marginal(mode, "server", "twohost")
        w(f"| {desc} | {'—' if not whole else spread(whole)} | {'—' if not stream else spread(stream)} | "
          f"{'—' if mc is None else spread(mc[0])} | {'—' if ms is None else spread(ms[0])} |")
    w("")

if any(k.startswith("wan.") for k in list(cases) + list(skips)):
    wb = float(meta.get("wan_bytes", 0))
    w(f"### `jrestore -x` across a WAN (MB/s of the data set: {meta.get('wan_files')} files, "
      f"{meta.get('wan_bytes')} bytes)")
    w("")
    w("From jrmtd's virtual tape (plain TCP) through the `LatencyRelay` of the rmt table, whole run "
      "(JVM start included). CPU: seconds per run of jrestore, jrmtd and the relay's JVM.")
    w("")
    w("| records | 0 ms | 20 ms | 20 / 0 ms | CPU-s at 20 ms: client / server / relay |")
    w("|---|---|---|---|---|")
    for rec in ("64k", "10k"):
        r0, r20 = rate_of(f"wan.{rec}.0.wall", wb), rate_of(f"wan.{rec}.20.wall", wb)
        ratio20 = None if not r0 or not r20 else statistics.median(r20) / statistics.median(r0)
        cpu = " / ".join(stat(f"wan.{rec}.20.{p}") for p in ("client", "server", "relay"))
        w(f"| {'64 KiB' if rec == '64k' else '10 KiB'} | {'—' if not r0 else spread(r0)} | "
          f"{'—' if not r20 else spread(r20)} | {'—' if ratio20 is None else f'{ratio20 * 100:.0f} %'} | {cpu} |")
    w("")

if any(k.startswith("startup.") for k in cases):
    w("### Short commands (wall seconds per run, a one-file dump)")
    w("")
    w("| command | wall s | CPU s |")
    w("|---|---|---|")
    for name, desc in (
        ("java-version", "`java -version` (default JDK)"),
        ("restore-t", "stock `restore -t -f FILE`"),
        ("jrestore-t", "`bin/jrestore -t -f FILE` (default JDK)"),
        ("jrestore-t-jdk25", f"`bin/jrestore -t -f FILE` on {meta.get('startup_jdk25', 'JDK 25')}"),
    ):
        if f"startup.{name}.wall" in cases:
            w(f"| {desc} | {stat(f'startup.{name}.wall')} | {stat(f'startup.{name}.client')} |")
    w("")

# --- skipped -----------------------------------------------------------------------------------
if skips:
    w("### Skipped or failed in this run")
    w("")
    for cid, why in sorted(skips.items()):
        w(f"- `{cid}`: {why}")
    w("")

w("<details><summary>Per-run values</summary>")
w("")
for cid in sorted(cases):
    w(f"- `{cid}` ({units[cid]}): " + ", ".join(num(v) for v in cases[cid]))
w("")
w("</details>")
w("")
w("<!-- bench:end -->")

text = "\n".join(out)
print(text)
if write:
    doc = open(doc_path).read()
    m = re.search(r"<!-- bench:begin.*?<!-- bench:end -->", doc, re.S)
    if not m:
        sys.exit(f"report.py: {doc_path} has no <!-- bench:begin --> ... <!-- bench:end --> block")
    open(doc_path, "w").write(doc[: m.start()] + text + doc[m.end():])
    print(f"(written to {doc_path})", file=sys.stderr)
