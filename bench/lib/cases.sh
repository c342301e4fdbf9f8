# The cases of bench/run. Sourced, not run. Each group function measures its cases, interleaving
# a case with its anchor run by run (anchor, case, anchor, case ...) so that drift on a shared
# machine hits both alike, and records one value per run with record(); a case that fails is
# recorded with skip() and the reason, and the run goes on.

# data_file MIB: a file of MIB MiB of random data in tmpfs (made once), for the tar cases.
data_file() {
  local f="$WORK/data/r$1"
  if [ ! -f "$f" ]; then
    mkdir -p "$WORK/data"
    head -c "$1M" /dev/urandom >"$f"
  fi
  echo "$f"
}

# tar_rate RSH RMT BLOCKING FILE: one GNU tar run to root@127.0.0.1:/dev/null; prints MB/s of
# archive bytes (tar's --totals), time including tar's, the rsh program's and the login's start.
tar_rate() {
  local rsh=$1 rmt=$2 bf=$3 file=$4 t0 t1 out bytes
  t0=$(now)
  out=$(tar --rsh-command="$rsh" --rmt-command="$rmt" -b "$bf" --totals \
    -cf root@127.0.0.1:/dev/null -C "$(dirname "$file")" "$(basename "$file")" 2>&1) || {
    echo "tar failed: $(echo "$out" | tail -1)" >&2
    return 1
  }
  t1=$(now)
  bytes=$(echo "$out" | sed -n 's/^Total bytes written: \([0-9]*\).*/\1/p')
  [ -n "$bytes" ] || { echo "tar printed no totals: $out" >&2; return 1; }
  rate "$bytes" "$t0" "$t1" 1e6
}

# java_result CMD...: runs a benchmark client, echoes its output indented to stderr, prints the
# values of its RESULT line.
java_result() {
  local out
  out=$("$@" 2>&1) || {
    echo "$out" | tail -3 >&2
    return 1
  }
  echo "$out" | sed 's/^/      /' >&2
  echo "$out" | sed -n 's/^RESULT //p'
}

# interleaved PREFIX UNIT NAME:COMMAND...: RUNS rounds, each running every named command once (a
# command prints one value); records PREFIX.NAME with the values, or skip() with the first error.
interleaved() {
  local prefix=$1 unit=$2
  shift 2
  local -A vals=() err=()
  local r spec name cmd v
  for ((r = 0; r < RUNS; r++)); do
    for spec in "$@"; do
      name=${spec%%:*}
      cmd=${spec#*:}
      [ -n "${err[$name]:-}" ] && continue
      if v=$(eval "$cmd" 2>"$WORK/err"); then
        vals[$name]+=" $v"
      else
        err[$name]="failed: $(tail -1 "$WORK/err")"
      fi
    done
  done
  for spec in "$@"; do
    name=${spec%%:*}
    if [ -n "${err[$name]:-}" ]; then
      skip "$prefix.$name" "${err[$name]}"
    else
      record "$prefix.$name" "$unit" ${vals[$name]}
      note "$prefix.$name:${vals[$name]} $unit"
    fi
  done
}

# --- rmt write throughput by record size and RTT ------------------------------------------------
# GNU tar stop-and-waits, so its archive size per run is chosen per cell to take about two seconds;
# RemoteTape runs for a fixed time.
declare -A TAR_MIB=([10k.0]=64 [10k.2]=8 [10k.20]=1 [64k.0]=256 [64k.2]=48 [64k.20]=6
  [1m.0]=256 [1m.2]=192 [1m.20]=64)
declare -A BLOCKING=([10k]=20 [64k]=128 [1m]=2048)
declare -A RECORD=([10k]=10240 [64k]=65536 [1m]=1048576)

case_rmt() {
  log "rmt write throughput: records ${RMT_RECORDS[*]}, RTT ${RMT_RTTS[*]} ms (MB/s, through the relay)"
  local rec rtt mib file tls_dir="$STATE/tls"
  for rec in "${RMT_RECORDS[@]}"; do
    for rtt in "${RMT_RTTS[@]}"; do
      mib=$((TAR_MIB[$rec.$rtt] / QUICK_DIV))
      [ "$mib" -ge 1 ] || mib=1
      file=$(data_file "$mib")
      note "-- $rec records, $rtt ms: tar archives of $mib MiB"
      interleaved "rmt.$rec.$rtt" MB/s \
        "tar-ssh:tar_rate $WORK/ssh-$rtt /usr/sbin/rmt-tar ${BLOCKING[$rec]} $file" \
        "tar-rsh:tar_rate $WORK/jrmt-rsh-$rtt /etc/rmt ${BLOCKING[$rec]} $file" \
        "tar-rsh-tls:tar_rate $WORK/jrmt-rsh-tls-$rtt /etc/rmt ${BLOCKING[$rec]} $file"
      remote_tape "rmt.$rec.$rtt.rt" "${RELAY[$rtt.plain]}" pipe "${RECORD[$rec]}"
      remote_tape "rmt.$rec.$rtt.rt-tls" "${RELAY[$rtt.tls]}" pipe "${RECORD[$rec]}" --tls-dir "$tls_dir"
      if [ "$rec" = 10k ]; then
        remote_tape "rmt.$rec.$rtt.rt-saw" "${RELAY[$rtt.plain]}" saw "${RECORD[$rec]}"
      fi
    done
  done
}

# remote_tape ID PORT MODE RECORD [ARGS...]: LatencyBenchmark (RemoteTape) runs in one JVM.
remote_tape() {
  local id=$1 port=$2 mode=$3 rec=$4 v
  shift 4
  if v=$(java_result java -cp "$TEST_CP" org.jrmt.tests.bench.LatencyBenchmark --port "$port" \
    --mode "$mode" --record "$rec" --seconds "$RT_SECONDS" --warmup-seconds "$RT_WARMUP" \
    --runs "$RUNS" "$@" 2>"$WORK/err"); then
    record "$id" MB/s $v
    note "$id: $v MB/s"
  else
    skip "$id" "failed: $(tail -1 "$WORK/err")"
  fi
}

# --- one session, loopback, no relay: null device and SIMH tape ---------------------------------
case_sink() {
  log "one session, 64 KiB records, loopback without relay: /dev/null and a SIMH tape (GB/s)"
  local file v
  file=$(data_file $((256 / QUICK_DIV)))
  rsh_script ssh-direct "$SSH_PORT"
  interleaved sink GB/s \
    "tar-ssh:tar_rate $WORK/ssh-direct /usr/sbin/rmt-tar 128 $file | awk '{printf \"%.4f\", \$1/1000}'"
  throughput sink.null.plain --port "$PLAIN_PORT" --bytes "$SINK_BYTES"
  throughput sink.null.tls --port "$TLS_PORT" --bytes "$SINK_BYTES" --tls-dir "$STATE/tls"
  throughput sink.simh.plain --port "$PLAIN_PORT" --bytes "$SIMH_BYTES" --path bench-simh \
    --flags "577 O_WRONLY|O_CREAT|O_TRUNC"
  throughput sink.null.plain-saw --port "$PLAIN_PORT" --bytes "$SAW_BYTES" --depth 1
  rm -f "$DISK/tapes/bench-simh.tap"
}

# throughput ID ARGS...: RmtThroughputClient runs (GB/s) in one JVM after its warm-up.
throughput() {
  local id=$1 v
  shift
  if v=$(java_result java -cp "$TEST_CP" org.jrmt.tests.bench.RmtThroughputClient \
    --warmup "$SINK_WARMUP" --runs "$RUNS" "$@" 2>"$WORK/err"); then
    record "$id" GB/s $v
    note "$id: $v GB/s"
  else
    skip "$id" "failed: $(tail -1 "$WORK/err")"
  fi
}

# --- dump speed ---------------------------------------------------------------------------------
# timed_rate BYTES CMD...: runs CMD (output to $WORK/cmd.log), prints BYTES / time in MB/s.
timed_rate() {
  local bytes=$1 t0 t1
  shift
  t0=$(now)
  "$@" >"$WORK/cmd.log" 2>&1 || {
    echo "$1 failed: $(grep -v '^\s*$' "$WORK/cmd.log" | tail -1)" >&2
    return 1
  }
  t1=$(now)
  rate "$bytes" "$t0" "$t1" 1e6
}

# fresh FILE CMD...: removes FILE (the last run's output) and writes back what earlier runs left
# dirty, then timed_rate of the data set.
fresh() {
  rm -f "$1"
  sync
  shift
  timed_rate "$TREE_BYTES" "$@"
}

# cold FILE CMD...: as fresh, after emptying the page, dentry and inode caches, so the run reads
# the tree (and its own program) from the file system as a nightly backup does.
cold() {
  rm -f "$1"
  sync
  echo 3 >/proc/sys/vm/drop_caches
  shift
  timed_rate "$TREE_BYTES" "$@"
}

# can_drop_caches: whether cold runs are possible here (root, a writable /proc/sys).
can_drop_caches() {
  sync && echo 1 >/proc/sys/vm/drop_caches 2>/dev/null
}

# The dump cases run twice: cold (caches emptied before every run; the targets are judged on these,
# as the issue's own anchor figures were measured so) and warm (the tree already in memory).
case_dump() {
  log "dump speed, MB/s of the data set ($TREE_FILES files, $TREE_BYTES bytes)"
  local out="$DISK/out" parent base temps=(warm)
  mkdir -p "$out"
  parent=$(dirname "$TREE")
  base=$(basename "$TREE")
  if can_drop_caches; then
    temps=(cold warm)
  else
    note "cannot drop the page cache (not root?): warm runs only"
  fi
  client_toml "$WORK/client-tls.toml" "$TLS_PORT"
  rsh_script ssh-direct "$SSH_PORT"
  local temp run prefix bs
  for temp in "${temps[@]}"; do
    run=fresh prefix=dump
    if [ "$temp" = cold ]; then run=cold; else prefix=dump.warm; fi
    note "-- $temp: to a local file on $(findmnt -no FSTYPE -T "$out") ($out), 64 KiB records"
    local cases=(
      "tar:$run $out/t.tar tar -b 128 -cf $out/t.tar -C $parent $base"
      "jdump:$run $out/j.dump bin/jdump -0 -b 128 -f $out/j.dump $TREE"
    )
    if [ -n "$LOOP_DEV" ]; then
      cases+=("dump:$run $out/d.dump dump -0 -q -b 128 -f $out/d.dump $LOOP_DEV")
    else
      skip "$prefix.local.dump" "$NO_LOOP"
    fi
    interleaved "$prefix.local" MB/s "${cases[@]}"
    rm -f "$out/t.tar"
    for bs in "${DUMP_NET_BLOCKS[@]}"; do
      note "-- $temp: over loopback to a tape server, $bs KiB records"
      local jd="jdump-tls:$run $DISK/tapes/jd$bs.tap env JRMT_CONFIG=$WORK/client-tls.toml bin/jdump -0 -b $bs -f 127.0.0.1:jd$bs $TREE"
      if [ -z "$LOOP_DEV" ]; then
        skip "$prefix.net.$bs.dump-ssh" "$NO_LOOP"
        interleaved "$prefix.net.$bs" MB/s "$jd"
        continue
      fi
      interleaved "$prefix.net.$bs" MB/s \
        "dump-ssh:$run $out/ds$bs.dump env RSH=$WORK/ssh-direct RMT=/usr/sbin/rmt-dump dump -0 -q -b $bs -f root@127.0.0.1:$out/ds$bs.dump $LOOP_DEV" \
        "$jd"
      rm -f "$out/ds$bs.dump" "$DISK/tapes/jd$bs.tap"
    done
  done
}

# --- jrestore -t vs restore -t ------------------------------------------------------------------
case_restore() {
  local src="$DISK/out/d.dump" made_by="Linux dump"
  if [ ! -s "$src" ]; then
    src="$DISK/out/j.dump"
    made_by="jdump"
  fi
  if [ ! -s "$src" ]; then
    # Run alone (--only restore): make the dump first.
    mkdir -p "$DISK/out"
    if [ -n "$LOOP_DEV" ]; then
      src="$DISK/out/d.dump"
      made_by="Linux dump"
      dump -0 -q -b 128 -f "$src" "$LOOP_DEV" >"$WORK/cmd.log" 2>&1
    else
      bin/jdump -0 -b 128 -f "$src" "$TREE" >"$WORK/cmd.log" 2>&1
    fi
  fi
  local bytes
  bytes=$(stat -c %s "$src")
  meta restore_source "$made_by, $bytes bytes"
  log "restore -t: a $bytes-byte dump made by $made_by (MB/s of dump bytes)"
  interleaved restore MB/s \
    "restore:timed_rate $bytes restore -t -f $src" \
    "jrestore:timed_rate $bytes bin/jrestore -t -f $src" \
    "jrestore-net:timed_rate $bytes env JRMT_PORT=$PLAIN_PORT bin/jrestore -t -f 127.0.0.1:$src" \
    "jrestore-tls:timed_rate $bytes env JRMT_CONFIG=$WORK/client-tls.toml bin/jrestore -t -f 127.0.0.1:$src"
}

# --- server scale -------------------------------------------------------------------------------
case_scale() {
  log "server scale: 1, 8, 64 concurrent sessions, 64 KiB records, plain TCP, null devices"
  local n v
  for n in 1 8 64; do
    peak_rss_reset
    if v=$(java_result java -cp "$TEST_CP" org.jrmt.tests.bench.RmtThroughputClient \
      --port "$PLAIN_PORT" --sessions "$n" --path "$WORK/nulls/n%d" --depth 64 \
      --bytes "$SCALE_BYTES" --warmup "$SCALE_WARMUP" --runs "$RUNS" 2>"$WORK/err"); then
      record "scale.$n" GB/s $v
      record "scale.$n.rss" MB "$(peak_rss_mb)"
      note "scale.$n: $v GB/s, jrmtd peak RSS $(peak_rss_mb) MB"
    else
      skip "scale.$n" "failed: $(tail -1 "$WORK/err")"
    fi
  done
}

# --- JMH micro-benchmarks -----------------------------------------------------------------------
case_jmh() {
  log "JMH: SimhWriteBenchmark (tape-io) and CodecBenchmark (protocol-spec)"
  local m
  for m in tape-io:SimhWriteBenchmark protocol-spec:CodecBenchmark; do
    local mod=${m%%:*} bench=${m#*:}
    if java -cp "$mod/target/test-classes:$mod/target/classes:$(cat "$mod/target/bench.cp")" \
      org.openjdk.jmh.Main "$bench" $JMH_OPTS -rf json -rff "$WORK/jmh-$bench.json" \
      >"$WORK/jmh-$bench.log" 2>&1; then
      python3 - "$WORK/jmh-$bench.json" "$bench" >>"$RESULTS" <<'EOF'
import json, sys
# One "case" line per benchmark (and parameter), one value per measured iteration.
for b in json.load(open(sys.argv[1])):
    name = b["benchmark"].rsplit(".", 1)[1]
    params = b.get("params") or {}
    rec = params.get("record")
    vals = [v for fork in b["primaryMetric"]["rawData"] for v in fork]
    cid = f"jmh.{sys.argv[2]}.{name}" + (f".{rec}" if rec else "")
    print("case\t%s\tops/s\t%s" % (cid, " ".join(f"{v:.1f}" for v in vals)))
EOF
      note "$bench: $(grep -c . "$WORK/jmh-$bench.json") lines of results"
    else
      skip "jmh.$bench" "failed: $(grep -E 'Exception|Error' "$WORK/jmh-$bench.log" | head -1)"
    fi
  done
}

# --- physical limits ----------------------------------------------------------------------------
case_limits() {
  log "physical limits: loopback TCP and the file system's write speed"
  local port r v vals=""
  if ensure_iperf3; then
    meta loopback_tool "iperf3 $(iperf3 --version | head -1 | awk '{print $2}'), one stream, 3 s"
    for ((r = 0; r < RUNS; r++)); do
      port=$(free_port)
      iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 &
      local spid=$!
      PIDS+=("$spid")
      local i
      for ((i = 0; i < 50; i++)); do
        v=$(iperf3 -c 127.0.0.1 -p "$port" -t "$IPERF_SECONDS" -J 2>/dev/null |
          python3 -c 'import json,sys; print("%.4f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/8e9))' 2>/dev/null) && break
        sleep 0.1
      done
      wait "$spid" 2>/dev/null || true
      vals+=" $v"
    done
  else
    meta loopback_tool "socat, one stream of 2 GiB of zeros"
    for ((r = 0; r < RUNS; r++)); do
      port=$(free_port)
      socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" OPEN:/dev/null &
      local spid=$!
      PIDS+=("$spid")
      sleep 0.2
      local t0 t1
      t0=$(now)
      head -c 2G /dev/zero | socat -u - "TCP:127.0.0.1:$port"
      t1=$(now)
      wait "$spid" 2>/dev/null || true
      vals+=" $(rate $((2 << 30)) "$t0" "$t1" 1e9)"
    done
  fi
  record limit.loopback GB/s $vals
  note "loopback: $vals GB/s"
  local mib=$((1024 / QUICK_DIV)) cache="" synced="" t0 t1
  for ((r = 0; r < RUNS; r++)); do
    rm -f "$DISK/dd"
    t0=$(now)
    dd if=/dev/zero of="$DISK/dd" bs=1M count="$mib" status=none
    t1=$(now)
    cache+=" $(rate $((mib << 20)) "$t0" "$t1" 1e9)"
    rm -f "$DISK/dd"
    t0=$(now)
    dd if=/dev/zero of="$DISK/dd" bs=1M count="$mib" conv=fdatasync status=none
    t1=$(now)
    synced+=" $(rate $((mib << 20)) "$t0" "$t1" 1e9)"
  done
  rm -f "$DISK/dd"
  record limit.fs-cache GB/s $cache
  record limit.fs-sync GB/s $synced
  note "file system: page cache$cache GB/s; to disk (fdatasync)$synced GB/s"
}
