#!/usr/bin/env python3
"""Snakemake --cluster-status for Slurm without accounting: asks scontrol (then squeue) for the job's state and
prints success, running or failed."""
import subprocess
import sys

job = sys.argv[1]
RUNNING = {"PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING", "SIGNALING", "STAGE_OUT"}


def state():
    try:
        out = subprocess.run(["scontrol", "-o", "show", "job", job], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "RUNNING"  # the controller is busy: ask again later
    if out.returncode == 0:
        for field in out.stdout.split():
            if field.startswith("JobState="):
                return field.split("=", 1)[1]
    if "Invalid job id" in out.stderr:
        return "UNKNOWN"
    return "RUNNING"


s = state()
print("success" if s == "COMPLETED" else "running" if s in RUNNING else "failed")
