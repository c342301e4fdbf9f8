# Shared by bench/run: logging, results, timing, and the peers (sshd, jrmtd, relays, loop image).
# Sourced, not run. Every process started here is recorded in PIDS and killed by cleanup().

PIDS=()
LOOP_DEV=""
LOOPS=()
MOUNTED=""

log() { printf '== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }

# record ID UNIT VALUES...: one measured case, values per run (appends to the case's line).
record() {
  local id=$1 unit=$2
  shift 2
  if [ -z "$*" ]; then
    skip "$id" "no value measured"
    return 0
  fi
  printf 'case\t%s\t%s\t%s\n' "$id" "$unit" "$*" >>"$RESULTS"
}
# skip ID REASON: a case that could not run, with why.
skip() {
  printf 'skip\t%s\t%s\n' "$1" "$2" >>"$RESULTS"
  note "skipped $1: $2"
}
meta() { printf 'meta\t%s\t%s\n' "$1" "$2" >>"$RESULTS"; }

# now: seconds since the epoch with microseconds (no subprocess).
now() { printf '%s' "$EPOCHREALTIME"; }
# rate BYTES T0 T1 DIVISOR: BYTES / (T1 - T0) / DIVISOR, four decimals.
rate() { python3 -c "print(f'{$1/(($3)-($2))/$4:.4f}')"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for FILE PATTERN [SECONDS]: until FILE contains PATTERN; fails after SECONDS (default 30).
wait_for() {
  local file=$1 pattern=$2 limit=${3:-30} i
  for ((i = 0; i < limit * 10; i++)); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$pattern' in $file" >&2
  return 1
}

cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  cg_cleanup
  if [ -n "$MOUNTED" ]; then umount "$MOUNTED" 2>/dev/null || true; fi
  if [ -n "$LOOP_DEV" ]; then losetup -d "$LOOP_DEV" 2>/dev/null || true; fi
  for p in "${LOOPS[@]}"; do
    losetup -d "$p" 2>/dev/null || true
  done
  if [ "${KEEP:-0}" = 1 ]; then
    note "kept $WORK and $DISK"
  else
    rm -rf "$WORK" "$DISK"
  fi
}

# --- CPU accounting: one cgroup (v2) per process ------------------------------------------------
# A process started with cg_exec runs in its own cgroup under CG_ROOT, with every thread and child
# it makes: the cgroup's cpu.stat (usage_usec = user + system) counts them all, even those that
# have already exited (a forked ssh, rmt-dump behind sshd, a JVM's compiler threads). Without a
# writable cgroup2 mount, cpu_usec falls back to /proc/PID/stat of the process and its reaped
# children, and client runs are timed by /usr/bin/time (same sum, but a child that is not waited
# for is missed). CPU_METHOD says which.
CG_ROOT=""
CPU_METHOD=""
cg_init() {
  local mnt
  CPU_METHOD="/proc/PID/stat and /usr/bin/time (no writable cgroup2)"
  for mnt in $(findmnt -rn -t cgroup2 -o TARGET); do
    if mkdir "$mnt/jrmt-bench.$$" 2>/dev/null; then
      CG_ROOT="$mnt/jrmt-bench.$$"
      CPU_METHOD="cgroup v2 per process (cpu.stat usage_usec, $mnt)"
      return 0
    fi
  done
  note "no writable cgroup2 mount: CPU from /proc/PID/stat and /usr/bin/time"
}
# cg_new NAME: an empty cgroup NAME (made anew if it exists and is empty).
cg_new() {
  [ -n "$CG_ROOT" ] || return 0
  rmdir "$CG_ROOT/$1" 2>/dev/null || true
  mkdir -p "$CG_ROOT/$1"
}
# cg_exec NAME CMD...: execs CMD inside cgroup NAME (to be called in a subshell or as the last
# command: it replaces the shell). Without cgroups, just execs.
cg_exec() {
  local name=$1
  shift
  if [ -n "$CG_ROOT" ]; then
    mkdir -p "$CG_ROOT/$name"
    echo "$BASHPID" >"$CG_ROOT/$name/cgroup.procs"
  fi
  exec "$@"
}
# cpu_usec NAME [PID]: CPU microseconds (user + system) used so far in cgroup NAME, or without
# cgroups by process PID, its threads and its reaped children.
cpu_usec() {
  if [ -n "$CG_ROOT" ]; then
    awk '$1 == "usage_usec" {print $2}' "$CG_ROOT/$1/cpu.stat"
  else
    python3 - "$2" <<'PY'
import os, sys
f = open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")", 1)[1].split()
print(int(sum(int(x) for x in f[11:15]) * 1e6 / os.sysconf("SC_CLK_TCK")))
PY
  fi
}
# cpu_settle NAME [PID]: waits (up to 3 s) until NAME uses less than 5 ms of CPU in 0.1 s, for a
# server finishing what a client left it (closing a session, an rmt process exiting). Not until
# it stops: an idle JVM's own threads use 0.1-0.5 ms every 0.1 s.
cpu_settle() {
  local a b i
  a=$(cpu_usec "$@")
  for ((i = 0; i < 30; i++)); do
    sleep 0.1
    b=$(cpu_usec "$@")
    [ $((b - a)) -lt 5000 ] && return 0
    a=$b
  done
}
# cg_cleanup: removes the cgroups made (their processes have been stopped by then).
cg_cleanup() {
  [ -n "$CG_ROOT" ] && [ -d "$CG_ROOT" ] || return 0
  local d
  for d in "$CG_ROOT"/*/; do
    [ -d "$d" ] && rmdir "$d" 2>/dev/null
  done
  rmdir "$CG_ROOT" 2>/dev/null || note "cgroup $CG_ROOT still has processes: $(cat "$CG_ROOT"/*/cgroup.procs 2>/dev/null | tr '\n' ' ')"
}

# --- build --------------------------------------------------------------------------------------
# Packages every module (tests compiled, not run) and writes each module's test classpath to
# MODULE/target/bench.cp. Offline first (the machine's ~/.m2), online if that fails.
build() {
  local goals=(-B -q -DskipTests package dependency:build-classpath -Dmdep.includeScope=test
    -Dmdep.outputFile=target/bench.cp)
  log "building (mvn -o ${goals[*]})"
  if ! mvn -o "${goals[@]}"; then
    log "offline build failed; trying online"
    mvn "${goals[@]}"
  fi
}

# --- tools --------------------------------------------------------------------------------------
ensure_iperf3() {
  command -v iperf3 >/dev/null && return 0
  log "iperf3 missing: installing it with apt-get (the loopback TCP limit uses it)"
  if ! { apt-get install -y -q iperf3 >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q iperf3 >/dev/null 2>&1; }; }; then
    note "iperf3 could not be installed; the loopback limit falls back to socat"
    return 1
  fi
}

# --- private sshd on loopback -------------------------------------------------------------------
# Throw-away host and client keys, key login as root only, on 127.0.0.1. Sets SSH_PORT, SSH_CIPHER
# and writes $WORK/ssh-wrap PORT (an rsh-like ssh command to 127.0.0.1:PORT).
start_sshd() {
  mkdir -p "$WORK/ssh" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/client_key"
  cp "$WORK/ssh/client_key.pub" "$WORK/ssh/authorized_keys"
  SSH_PORT=$(free_port)
  cat >"$WORK/ssh/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $WORK/ssh/host_key
AuthorizedKeysFile $WORK/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $WORK/ssh/sshd.pid
EOF
  # In its own cgroup: the per-connection sshd and the rmt it runs are counted with it.
  (cg_exec sshd /usr/sbin/sshd -D -f "$WORK/ssh/sshd_config" -E "$WORK/ssh/sshd.log") &
  SSHD_PID=$!
  PIDS+=("$SSHD_PID")
  local i
  for ((i = 0; i < 100; i++)); do
    ssh_wrap "$SSH_PORT" -l root 127.0.0.1 true 2>/dev/null && break
    sleep 0.1
  done
  SSH_CIPHER=$(/usr/bin/ssh -v -p "$SSH_PORT" -i "$WORK/ssh/client_key" -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o BatchMode=yes root@127.0.0.1 true 2>&1 |
    sed -n 's/.*kex: server->client cipher: \([^ ]*\).*/\1/p' | head -1)
}

ssh_wrap() { # ssh_wrap PORT ARGS...
  local port=$1
  shift
  /usr/bin/ssh -p "$port" -i "$WORK/ssh/client_key" -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR "$@"
}

# rsh_script NAME PORT: an executable $WORK/NAME that ssh-es to 127.0.0.1:PORT (for --rsh-command
# and RSH, which take a program, not a command line).
rsh_script() {
  cat >"$WORK/$1" <<EOF
#!/bin/sh
exec /usr/bin/ssh -p $2 -i $WORK/ssh/client_key -o StrictHostKeyChecking=no \\
  -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR "\$@"
EOF
  chmod +x "$WORK/$1"
}

# jrmt_rsh_script NAME PORT [tls]: $WORK/NAME runs bin/jrmt-rsh to jrmtd at PORT (plain or TLS).
jrmt_rsh_script() {
  local name=$1 port=$2 tls=${3:-}
  if [ "$tls" = tls ]; then
    client_toml "$WORK/$name.toml" "$port"
    printf '#!/bin/sh\nJRMT_CONFIG=%s exec %s/bin/jrmt-rsh "$@"\n' "$WORK/$name.toml" "$ROOT" >"$WORK/$name"
  else
    printf '#!/bin/sh\nJRMT_PORT=%s exec %s/bin/jrmt-rsh "$@"\n' "$port" "$ROOT" >"$WORK/$name"
  fi
  chmod +x "$WORK/$name"
}

# client_toml FILE TLS_PORT: a client config that makes host:NAME use TLS to TLS_PORT.
client_toml() {
  cat >"$1" <<EOF
tls-port = $2
[tls]
enabled = true
ca = "$STATE/tls/ca.crt"
certificate = "$STATE/tls/client.crt"
key = "$STATE/tls/client.key"
EOF
}

# --- jrmtd in its own JVM -----------------------------------------------------------------------
# Plain and TLS listeners on 127.0.0.1, virtual tapes in $DISK/tapes (a real file system), files
# served below $WORK (the null device nodes and the dump file jrestore reads), session limits
# raised for the 64-session case. Sets JRMTD_PID, PLAIN_PORT, TLS_PORT, JRMTD_TLS_IMPL.
start_jrmtd() {
  STATE="$WORK/state"
  mkdir -p "$STATE" "$DISK/tapes" "$WORK/nulls"
  bin/jrmtd cert init --state-dir "$STATE" --site bench --days 2 >/dev/null
  bin/jrmtd cert issue server --state-dir "$STATE" --ip 127.0.0.1 --dns localhost --days 2 >/dev/null
  bin/jrmtd cert issue client --state-dir "$STATE" --days 2 >/dev/null
  local i
  # Distinct null devices, one per concurrent session: jrmtd gives a device to one session at a time.
  for ((i = 0; i < 64; i++)); do
    [ -e "$WORK/nulls/n$i" ] || mknod "$WORK/nulls/n$i" c 1 3
  done
  cat >"$WORK/jrmtd.toml" <<EOF
[limits]
max-sessions = 100
max-sessions-per-identity = 100
EOF
  launch_jrmtd main "$DISK/tapes" "" --config "$WORK/jrmtd.toml" --file-dir /dev/null \
    --file-dir "$WORK" --file-dir "$DISK"
  JRMTD_PID=$main_PID PLAIN_PORT=$main_PLAIN TLS_PORT=$main_TLS
  JRMTD_TLS_IMPL="JDK provider"
  grep -q "TLS, BoringSSL" "$WORK/jrmtd-main.log" && JRMTD_TLS_IMPL="BoringSSL (netty-tcnative)"
  return 0
}

# launch_jrmtd NAME TAPEDIR CPUS [ARGS...]: a jrmtd (the certificates of start_jrmtd) with plain
# and TLS listeners on free ports of 127.0.0.1, virtual tapes in TAPEDIR, in cgroup jrmtd-NAME,
# pinned to CPUS with taskset unless CPUS is empty; log $WORK/jrmtd-NAME.log. Sets NAME_PID,
# NAME_PLAIN and NAME_TLS.
launch_jrmtd() {
  local name=$1 tapes=$2 cpus=$3 plain tls pin=()
  shift 3
  plain=$(free_port)
  tls=$(free_port)
  [ -z "$cpus" ] || pin=(taskset -c "$cpus")
  mkdir -p "$tapes"
  (cg_exec "jrmtd-$name" "${pin[@]}" bin/jrmtd --listen "127.0.0.1:$plain" \
    --tls-listen "127.0.0.1:$tls" --tape-dir "$tapes" --state-dir "$STATE" \
    "$@") >"$WORK/jrmtd-$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  printf -v "${name}_PID" %s "$pid"
  printf -v "${name}_PLAIN" %s "$plain"
  printf -v "${name}_TLS" %s "$tls"
  wait_for "$WORK/jrmtd-$name.log" "listening on .*$tls" 60
}

# stop_pid PID: stops one process started here and waits for it.
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# peak_rss_reset / peak_rss_mb: jrmtd's peak resident set since the last reset (VmHWM).
peak_rss_reset() { echo 5 >"/proc/$JRMTD_PID/clear_refs"; }
peak_rss_mb() { awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$JRMTD_PID/status"; }

# --- latency relays -----------------------------------------------------------------------------
# One JVM with a LatencyRelay per (one-way delay, target): 0, 1 and 10 ms one way (0, 2 and 20 ms
# round trip) in front of jrmtd's plain and TLS ports and of sshd. RELAY[RTT.plain|tls|ssh]=port.
declare -A RELAY
start_relays() {
  local args=() d t
  for d in 0 1 10; do
    for t in "$PLAIN_PORT" "$TLS_PORT" "$SSH_PORT"; do
      args+=("$d" "$t")
    done
  done
  (cg_exec relay java -cp "$TEST_CP" org.jrmt.tests.LatencyRelay "${args[@]}") >"$WORK/relays" \
    2>"$WORK/relays.err" &
  RELAY_PID=$!
  PIDS+=("$RELAY_PID")
  local i
  for ((i = 0; i < 300; i++)); do
    [ "$(grep -c '^relay' "$WORK/relays" 2>/dev/null)" -ge 9 ] && break
    sleep 0.1
  done
  local rtt one
  for rtt in 0 2 20; do
    one=$((rtt / 2))
    RELAY[$rtt.plain]=$(awk -v d="$one" -v t="$PLAIN_PORT" '$1=="relay" && $2==d && $3==t {print $4}' "$WORK/relays")
    RELAY[$rtt.tls]=$(awk -v d="$one" -v t="$TLS_PORT" '$1=="relay" && $2==d && $3==t {print $4}' "$WORK/relays")
    RELAY[$rtt.ssh]=$(awk -v d="$one" -v t="$SSH_PORT" '$1=="relay" && $2==d && $3==t {print $4}' "$WORK/relays")
    [ -n "${RELAY[$rtt.ssh]}" ] || { echo "relays did not start: $(cat "$WORK/relays.err")" >&2; return 1; }
    rsh_script "ssh-$rtt" "${RELAY[$rtt.ssh]}"
    jrmt_rsh_script "jrmt-rsh-$rtt" "${RELAY[$rtt.plain]}"
    jrmt_rsh_script "jrmt-rsh-tls-$rtt" "${RELAY[$rtt.tls]}" tls
  done
}

# --- the data set on an ext2 image on a loop device ---------------------------------------------
# The tree lives in an ext2 file system (image in tmpfs) so that Linux dump reads the same files
# through the loop device that jdump and tar read through the mount. Sets TREE, LOOP_DEV,
# TREE_BYTES, TREE_FILES. Without loop devices the tree is written to tmpfs and Linux dump skipped.
make_dataset() {
  local files=$1 mb=$2 img_mb
  img_mb=$(python3 -c "print(int($mb * 1.25 + $files * 8 / 1024 + 64))")
  log "data set: $files files, $mb MB of random data (ext2 image of $img_mb MiB on a loop device)"
  mkdir -p "$WORK/mnt"
  truncate -s "${img_mb}M" "$WORK/fs.img"
  if mkfs.ext2 -q -F "$WORK/fs.img" && LOOP_DEV=$(losetup -f --show "$WORK/fs.img" 2>"$WORK/losetup.err") &&
    mount "$LOOP_DEV" "$WORK/mnt"; then
    MOUNTED="$WORK/mnt"
    TREE="$WORK/mnt/tree"
  else
    LOOP_DEV=""
    NO_LOOP="no loop device ($(cat "$WORK/losetup.err" 2>/dev/null | head -1); needs root and /dev/loop*)"
    note "$NO_LOOP: the tree goes to tmpfs and Linux dump is skipped"
    TREE="$WORK/tree"
  fi
  local out
  out=$(python3 bench/lib/dataset.py "$TREE" "$files" "$mb")
  TREE_FILES=$(echo "$out" | awk '{print $2}')
  TREE_BYTES=$(echo "$out" | awk '{print $4}')
  note "$out"
  if [ -n "$MOUNTED" ]; then
    sync
    mount -o remount,ro "$WORK/mnt"
  fi
}
