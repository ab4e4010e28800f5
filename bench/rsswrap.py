"""Fallback peak-RSS wrapper when GNU time is missing: `python -S -I rsswrap.py OUTFILE CMD...`.
It forks and execs CMD and writes the child's ru_maxrss (KiB) to OUTFILE. Measuring from this small
process rather than from the bench itself matters: a forked child's high-water mark starts at its
parent's RSS, so the bench's own memory would leak into every figure."""

import os
import sys

out, command = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    try:
        os.execvp(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as fh:
    fh.write(f"{usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status) % 256)
