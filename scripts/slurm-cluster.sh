#!/usr/bin/env bash
# A one-node Slurm cluster on this machine for the workflow tests (../shared/recipes/slurm-local.md):
#   scripts/slurm-cluster.sh install        apt-get slurm-wlm munge snakemake when missing
#   scripts/slurm-cluster.sh start DIR      munged (if not running), slurmctld and slurmd with state, logs and
#                                           slurm.conf under DIR; prints `export SLURM_CONF=DIR/slurm.conf`
#   scripts/slurm-cluster.sh stop DIR       stops exactly the daemons `start` started (by their pid files)
set -euo pipefail
cmd="${1:-}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

case "$cmd" in
install)
  if command -v slurmctld >/dev/null && command -v munged >/dev/null && command -v snakemake >/dev/null && command -v sbatch >/dev/null; then
    exit 0
  fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge snakemake >/dev/null
  ;;
start)
  dir="$(realpath -m "${2:?give a folder for the cluster state}")"
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  host="$(hostname -s)"
  cpus="${SLURM_TEST_CPUS:-2}"
  mem_mb="$(awk '/MemTotal/ { m = int($2 / 1024) - 2048; if (m < 1024) m = 1024; print m }' /proc/meminfo)"
  cat >"$dir/slurm.conf" <<CONF
ClusterName=biomtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${SLURM_TEST_PORT:-6817}
SlurmdPort=$(( ${SLURM_TEST_PORT:-6817} + 1 ))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/ctld.log
SlurmdLogFile=$dir/log/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  # munge: use the running daemon, or start one (and remember that we did, to stop it again).
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    $SUDO mkdir -p /run/munge
    $SUDO chown munge:munge /run/munge 2>/dev/null || true
    [ -f /etc/munge/munge.key ] || $SUDO mungekey --create 2>/dev/null || $SUDO /usr/sbin/create-munge-key -f
    $SUDO /usr/sbin/munged --force --pid-file="$dir/munged.pid" 2>/dev/null || $SUDO /usr/sbin/munged --force
    [ -f "$dir/munged.pid" ] || pgrep -n -x munged >"$dir/munged.pid" || true
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  $SUDO slurmctld -f "$dir/slurm.conf"
  $SUDO slurmd -f "$dir/slurm.conf"
  export SLURM_CONF="$dir/slurm.conf"
  for _ in $(seq 150); do
    state="$(sinfo -h -o %t 2>/dev/null | head -1 || true)"
    if [ "$state" = "idle" ]; then echo "export SLURM_CONF=$dir/slurm.conf"; exit 0; fi
    sleep 0.2
  done
  echo "slurm did not come up (node state: ${state:-none}); logs in $dir/log" >&2
  exit 1
  ;;
stop)
  dir="$(realpath -m "${2:?give the folder given to start}")"
  for name in slurmd slurmctld munged; do
    pidfile="$dir/$name.pid"
    [ -s "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if $SUDO kill -0 "$pid" 2>/dev/null; then
      $SUDO kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do $SUDO kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      $SUDO kill -0 "$pid" 2>/dev/null && $SUDO kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  ;;
*)
  echo "usage: $0 install | start DIR | stop DIR" >&2
  exit 2
  ;;
esac
