# The cost groups of bench/run (issue 17): CPU per GB of every process of a case, marginal between
# two tree sizes; two one-core hosts; jrestore across a WAN; short commands. Sourced, not run.
#
# Method (the issue's): warm trees on tmpfs (~37,000 files per GB: the data set of dataset.py at
# 14,000 files per 380 MB), 1 MiB records, outputs and SIMH tapes on tmpfs. Every process runs in
# its own cgroup (cg_exec), so a case's CPU is the sum over all its threads and children: the
# client's cgroup is made anew for each run, a server's usage is read before and after the run.
# The marginal cost is the slope between the two trees, run by run (small, then large, in the same
# round): (CPU_large - CPU_small) / (bytes_large - bytes_small), so the JVM's start and everything
# else paid once per run falls out; what is left is the cost per byte (and per file, at this
# file density). report.py does the arithmetic.

COST_SIZES=(S L)
declare -A COST_LOOP=() COST_BYTES=() COST_FILES=() CG_PID=()

# cost_trees: the two trees, once per bench run. $WORK/cost/tree-S and tree-L on tmpfs for tar,
# jdump and jrestore; for Linux dump, which reads a block device, the same trees copied into ext2
# images on $DISK, each behind a read-only loop device with direct I/O: the block device's page
# cache then holds the only copy in memory, and once warm a dump reads it without the loop's
# kernel threads (whose CPU no cgroup of ours would see); not with COST_EXT2=0. Sets COST_BYTES,
# COST_FILES, COST_LOOP.
cost_trees() {
  [ -n "${COST_BYTES[L]:-}" ] && return 0
  local s files mb out img img_mb
  mkdir -p "$WORK/cost/out" "$WORK/cost/x"
  for s in "${COST_SIZES[@]}"; do
    if [ "$s" = S ]; then files=$COST_FILES_SMALL mb=$COST_MB_SMALL; else files=$COST_FILES_LARGE mb=$COST_MB_LARGE; fi
    log "cost tree $s: $files files, $mb MB of random data in tmpfs"
    out=$(python3 bench/lib/dataset.py "$WORK/cost/tree-$s" "$files" "$mb")
    COST_FILES[$s]=$(echo "$out" | awk '{print $2}')
    COST_BYTES[$s]=$(echo "$out" | awk '{print $4}')
    meta "cost_bytes_$s" "${COST_BYTES[$s]}"
    meta "cost_files_$s" "${COST_FILES[$s]}"
    if [ "${COST_EXT2:-1}" = 0 ]; then
      COST_LOOP[$s]=""
      continue
    fi
    img="$DISK/cost-$s.img"
    img_mb=$(python3 -c "print(int($mb * 1.25 + $files * 8 / 1024 + 64))")
    truncate -s "${img_mb}M" "$img"
    if mkfs.ext2 -q -F -d "$WORK/cost/tree-$s" "$img" >"$WORK/mkfs.log" 2>&1 && sync &&
      python3 -c "import os,sys; f=os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(f, 0, 0, os.POSIX_FADV_DONTNEED)" "$img" &&
      COST_LOOP[$s]=$(losetup -f --show -r --direct-io=on "$img" 2>>"$WORK/mkfs.log"); then
      LOOPS+=("${COST_LOOP[$s]}")
    else
      COST_LOOP[$s]=""
      note "no ext2 image on a loop device for tree $s ($(tail -1 "$WORK/mkfs.log")): Linux dump skipped"
    fi
  done
  rsh_script ssh-direct "$SSH_PORT"
}

# cost_cmd ROW SIZE [JRMTD]: removes what the last run left, then sets CMD (the client) and SERVER
# (the cgroup of the server, or empty) for one run of ROW on tree SIZE; JRMTD names the jrmtd to
# use (default cost). Returns 1 when ROW cannot run here.
cost_cmd() {
  local row=$1 s=$2 d=${3:-cost} out="$WORK/cost/out" tree="$WORK/cost/tree-$2" x="$WORK/cost/x"
  local plain tls
  plain=${d}_PLAIN tls=${d}_TLS
  rm -rf "$out"/tmp.* "$x"
  mkdir -p "$x"
  client_toml "$WORK/cost/client-$d.toml" "${!tls}"
  SERVER=""
  case $row in
    tar-local) CMD=(tar -b 2048 -cf "$out/tmp.tar" -C "$WORK/cost" "tree-$s") ;;
    dump-local)
      [ -n "${COST_LOOP[$s]}" ] || return 1
      CMD=(dump -0 -q -b 1024 -f "$out/tmp.dump" "${COST_LOOP[$s]}")
      ;;
    jdump-local)
      # Kept: the stock restore reads it through ssh.
      rm -f "$out/j-$s.dump"
      CMD=(bin/jdump -0 -b 1024 -f "$out/j-$s.dump" "$tree")
      ;;
    dump-ssh)
      [ -n "${COST_LOOP[$s]}" ] || return 1
      SERVER=sshd
      CMD=(env RSH="$WORK/ssh-direct" RMT=/usr/sbin/rmt-dump dump -0 -q -b 1024
        -f "root@127.0.0.1:$out/tmp.ds.dump" "${COST_LOOP[$s]}")
      ;;
    jdump-tcp)
      SERVER=jrmtd-$d
      CMD=(env JRMT_PORT="${!plain}" bin/jdump -0 -b 1024 -f "127.0.0.1:cost-$s" "$tree")
      ;;
    jdump-tls)
      SERVER=jrmtd-$d
      CMD=(env JRMT_CONFIG="$WORK/cost/client-$d.toml" bin/jdump -0 -b 1024 -f "127.0.0.1:cost-$s" "$tree")
      ;;
    restore-ssh)
      [ -s "$out/j-$s.dump" ] || return 1
      SERVER=sshd
      # -r, not -x: -x asks on the terminal whether to set the owner of '.'.
      CMD=(env -C "$x" RSH="$WORK/ssh-direct" RMT=/usr/sbin/rmt-dump restore -r -y -b 1024
        -f "root@127.0.0.1:$out/j-$s.dump")
      ;;
    jrestore-tcp)
      SERVER=jrmtd-$d
      CMD=(env JRMT_PORT="${!plain}" bin/jrestore -x -y -f "127.0.0.1:cost-$s" -D "$x")
      ;;
    jrestore-tls)
      SERVER=jrmtd-$d
      CMD=(env JRMT_CONFIG="$WORK/cost/client-$d.toml" bin/jrestore -x -y -f "127.0.0.1:cost-$s" -D "$x")
      ;;
    *)
      echo "cost_cmd: unknown row $row" >&2
      return 1
      ;;
  esac
}

# cpu_run ID SERVER [PIN] CMD...: runs CMD (the client) in a fresh cgroup, pinned to CPU PIN when
# PIN is a number (else PIN is the first word of CMD), output to $WORK/cmd.log. Appends CPU seconds
# to VALS[ID.client] (and VALS[ID.server] when SERVER names a cgroup) and wall seconds to
# VALS[ID.wall]. Fails (with the command's last line on stderr) when CMD does.
declare -A VALS=()
cpu_run() {
  local id=$1 server=$2 t0 t1 s0=0 s1=0 c
  shift 2
  local pin=()
  if [[ $1 =~ ^[0-9]+$ ]]; then
    pin=(taskset -c "$1")
    shift
  fi
  [ -z "$server" ] || s0=$(cpu_usec "$server" "${CG_PID[$server]:-}")
  cg_new client
  t0=$(now)
  if [ -n "$CG_ROOT" ]; then
    (cg_exec client "${pin[@]}" "$@") >"$WORK/cmd.log" 2>&1 </dev/null || {
      echo "$1 failed: $(grep -v '^\s*$' "$WORK/cmd.log" | tail -1)" >&2
      return 1
    }
    t1=$(now)
    c=$(cpu_usec client)
  else
    /usr/bin/time -f '%U %S' -o "$WORK/time.out" "${pin[@]}" "$@" >"$WORK/cmd.log" 2>&1 </dev/null || {
      echo "$1 failed: $(grep -v '^\s*$' "$WORK/cmd.log" | tail -1)" >&2
      return 1
    }
    t1=$(now)
    c=$(awk '{printf "%d", ($1 + $2) * 1e6}' "$WORK/time.out")
  fi
  VALS[$id.client]+=" $(python3 -c "print(f'{$c/1e6:.4f}')")"
  VALS[$id.wall]+=" $(python3 -c "print(f'{$t1-$t0:.4f}')")"
  if [ -n "$server" ]; then
    cpu_settle "$server" "${CG_PID[$server]:-}"
    s1=$(cpu_usec "$server" "${CG_PID[$server]:-}")
    VALS[$id.server]+=" $(python3 -c "print(f'{($s1-$s0)/1e6:.4f}')")"
  fi
}

# record_vals PREFIX UNIT_OF_WALL: records every VALS entry under PREFIX (CPU in cpu-s, wall in s)
# and empties VALS.
record_vals() {
  local k
  for k in "${!VALS[@]}"; do
    if [[ $k == *.wall* ]]; then record "$k" s ${VALS[$k]}; else record "$k" cpu-s ${VALS[$k]}; fi
  done
  VALS=()
}

# The rows of the cost table, in the order they run (a restore row reads what a dump row wrote).
COST_ROWS=(tar-local dump-local jdump-local dump-ssh jdump-tcp jdump-tls restore-ssh jrestore-tcp
  jrestore-tls)

case_cost() {
  cost_trees
  log "CPU per GB, marginal between ${COST_BYTES[S]} and ${COST_BYTES[L]} bytes (1 MiB records, tmpfs)"
  launch_jrmtd cost "$WORK/cost/tapes" ""
  CG_PID[jrmtd-cost]=$cost_PID CG_PID[sshd]=$SSHD_PID
  local r row s first=0 err
  local -A failed=()
  # COST_WARMUP rounds unrecorded (default 1, none with --quick): jrmtd's JIT, the block devices'
  # caches, the restore targets' first allocation in tmpfs.
  [ "$QUICK" = 1 ] || first=$((-${COST_WARMUP:-1}))
  for ((r = first; r < RUNS; r++)); do
    if [ "$r" -lt 0 ]; then note "-- warm-up round (not recorded)"; else note "-- round $((r + 1)) of $RUNS"; fi
    for row in "${COST_ROWS[@]}"; do
      [ -n "${failed[$row]:-}" ] && continue
      for s in "${COST_SIZES[@]}"; do
        if ! cost_cmd "$row" "$s"; then
          failed[$row]="cannot run here (no loop device, or the dump it reads is missing)"
          break
        fi
        if ! cpu_run "cost.$row.$s" "$SERVER" "${CMD[@]}" 2>"$WORK/err"; then
          failed[$row]="failed: $(tail -1 "$WORK/err")"
          break
        fi
      done
    done
    [ "$r" -ge 0 ] || VALS=()
  done
  rm -rf "$WORK/cost/x" "$WORK/cost/out"/tmp.*
  for row in "${COST_ROWS[@]}"; do
    if [ -n "${failed[$row]:-}" ]; then
      skip "cost.$row" "${failed[$row]}"
      for k in "${!VALS[@]}"; do [[ $k == cost.$row.* ]] && unset "VALS[$k]"; done
    fi
  done
  for k in $(printf '%s\n' "${!VALS[@]}" | sort); do note "$k:${VALS[$k]}"; done
  record_vals
  stop_pid "$cost_PID"
}

# --- two one-core hosts -------------------------------------------------------------------------
# jrmtd started under taskset -c 1 (so it sizes its thread pools for one CPU, as on a one-core
# host), jdump under taskset -c 0; TLS and plain TCP, both trees (the large one gives MB/s, the
# pair the marginal CPU).
case_twohost() {
  cost_trees
  log "two one-core hosts: jdump on CPU 0, jrmtd on CPU 1, 1 MiB records"
  launch_jrmtd pinned "$WORK/cost/tapes-pinned" 1
  CG_PID[jrmtd-pinned]=$pinned_PID
  local r mode s first=0
  local -A failed=()
  [ "$QUICK" = 1 ] || first=-1
  for ((r = first; r < RUNS; r++)); do
    for mode in tls tcp; do
      [ -n "${failed[$mode]:-}" ] && continue
      for s in "${COST_SIZES[@]}"; do
        cost_cmd "jdump-$mode" "$s" pinned
        if ! cpu_run "twohost.$mode.$s" "$SERVER" 0 "${CMD[@]}" 2>"$WORK/err"; then
          failed[$mode]="failed: $(tail -1 "$WORK/err")"
          break
        fi
      done
    done
    [ "$r" -ge 0 ] || VALS=()
  done
  for mode in tls tcp; do
    if [ -n "${failed[$mode]:-}" ]; then
      skip "twohost.$mode" "${failed[$mode]}"
      for k in "${!VALS[@]}"; do [[ $k == twohost.$mode.* ]] && unset "VALS[$k]"; done
    fi
  done
  for k in $(printf '%s\n' "${!VALS[@]}" | sort); do note "$k:${VALS[$k]}"; done
  record_vals
  stop_pid "$pinned_PID"
  rm -f "$WORK/cost/tapes-pinned"/*.tap
}

# --- jrestore -x across a WAN -------------------------------------------------------------------
# A ~40 MB dump on jrmtd's virtual tapes, in 64 KiB and 10 KiB records, restored through the
# LatencyRelay of the rmt group at 0 and 20 ms round trip (plain TCP). The relay is the issue's
# and the target's ("through the same relay"); its own CPU is in its cgroup, recorded beside.
case_wan() {
  log "jrestore -x across a WAN: $WAN_FILES files, $WAN_MB MB, 64 KiB and 10 KiB records, 0 and 20 ms RTT"
  local tree="$WORK/wan/tree" x="$WORK/wan/x" rec out bytes r rtt k
  mkdir -p "$WORK/wan"
  out=$(python3 bench/lib/dataset.py "$tree" "$WAN_FILES" "$WAN_MB")
  bytes=$(echo "$out" | awk '{print $4}')
  meta wan_bytes "$bytes"
  meta wan_files "$(echo "$out" | awk '{print $2}')"
  for rec in 64 10; do
    if ! JRMT_PORT=$PLAIN_PORT bin/jdump -0 -b "$rec" -f "127.0.0.1:wan$rec" "$tree" >"$WORK/cmd.log" 2>&1; then
      skip "wan.${rec}k" "jdump of the WAN tree failed: $(tail -1 "$WORK/cmd.log")"
      return 0
    fi
  done
  CG_PID[jrmtd-main]=$JRMTD_PID CG_PID[relay]=$RELAY_PID
  local -A failed=()
  for ((r = 0; r < RUNS; r++)); do
    for rec in 64 10; do
      for rtt in 0 20; do
        local id="wan.${rec}k.$rtt"
        [ -n "${failed[$id]:-}" ] && continue
        # One round trip per record takes minutes at 10 KiB and 20 ms: one run of it is enough.
        if [ "$rec" = 10 ] && [ "$rtt" = 20 ] && [ "$r" -ge "$WAN_SLOW_RUNS" ]; then continue; fi
        rm -rf "$x"
        mkdir -p "$x"
        local r0 r1
        r0=$(cpu_usec relay "$RELAY_PID")
        if ! cpu_run "$id" jrmtd-main env JRMT_PORT="${RELAY[$rtt.plain]}" bin/jrestore -x -y \
          -f "127.0.0.1:wan$rec" -D "$x" 2>"$WORK/err"; then
          failed[$id]="failed: $(tail -1 "$WORK/err")"
          continue
        fi
        r1=$(cpu_usec relay "$RELAY_PID")
        VALS[$id.relay]+=" $(python3 -c "print(f'{($r1-$r0)/1e6:.4f}')")"
      done
    done
  done
  rm -rf "$x" "$tree" "$DISK/tapes"/wan*.tap
  for k in "${!failed[@]}"; do
    skip "$k" "${failed[$k]}"
    for v in "${!VALS[@]}"; do [[ $v == $k.* ]] && unset "VALS[$v]"; done
  done
  for k in $(printf '%s\n' "${!VALS[@]}" | sort); do note "$k:${VALS[$k]}"; done
  record_vals
}

# --- short commands -----------------------------------------------------------------------------
# Wall time of jrestore -t of a one-file dump (the default JDK, and JDK 25 when installed), beside
# java -version and the stock restore -t of the same dump; STARTUP_RUNS runs each, interleaved.
case_startup() {
  log "short commands: jrestore -t of a one-file dump, $STARTUP_RUNS runs each"
  local d="$WORK/tiny" r name jdk25=""
  mkdir -p "$d/tree"
  echo hello >"$d/tree/hello"
  if ! bin/jdump -0 -f "$d/tiny.dump" "$d/tree" >"$WORK/cmd.log" 2>&1; then
    skip startup "jdump of the tiny tree failed: $(tail -1 "$WORK/cmd.log")"
    return 0
  fi
  for j in /usr/lib/jvm/temurin-25*; do [ -x "$j/bin/java" ] && jdk25=$j; done
  local specs=(
    "java-version:java -version"
    "jrestore-t:bin/jrestore -t -f $d/tiny.dump"
    "restore-t:restore -t -f $d/tiny.dump"
  )
  if [ -n "$jdk25" ]; then
    meta startup_jdk25 "$("$jdk25/bin/java" -version 2>&1 | sed -n 2p)"
    specs+=("jrestore-t-jdk25:env JAVA_HOME=$jdk25 bin/jrestore -t -f $d/tiny.dump")
  fi
  local spec
  for ((r = 0; r < STARTUP_RUNS; r++)); do
    for spec in "${specs[@]}"; do
      name=${spec%%:*}
      # shellcheck disable=SC2086
      cpu_run "startup.$name" "" ${spec#*:} 2>>"$WORK/err" || true
    done
  done
  for k in $(printf '%s\n' "${!VALS[@]}" | sort); do note "$k:${VALS[$k]}"; done
  record_vals
  rm -rf "$d"
}
