"""Wall time and peak RSS of a child process (os.wait4 rusage), percentiles, and the
machine line every benchmark prints first."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    """A finished child process: wall seconds, peak RSS in MB (wait4's: the largest single
    process), the peak of the sampled sum over the process and its children (a process
    pool's workers included), exit code, and its output and error lines."""

    seconds: float
    peak_rss_mb: float
    returncode: int
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    peak_tree_rss_mb: float = 0.0


class TreeRss(threading.Thread):
    """Samples the summed RSS of a process and its direct children every 0.2 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))


def _tree_rss_kb(pid: int) -> int:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    total = 0
    for each in [str(pid), *children]:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_measured(command: list[str]) -> Run:
    """Run `command`, reading its stdout line by line; peak RSS comes from wait4's rusage,
    which covers the child alone (not this process)."""
    errors = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors,
                             text=True, encoding="utf-8", errors="replace")
    sampler = TreeRss(child.pid)
    sampler.start()
    assert child.stdout is not None
    lines = [line.rstrip("\n") for line in child.stdout]
    sampler.done.set()
    sampler.join()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    errors.seek(0)
    error_lines = errors.read().splitlines()
    errors.close()
    return Run(seconds, usage.ru_maxrss / 1024, child.returncode, lines, error_lines,
               sampler.peak_kb / 1024)


# A new process runs as an installed `archive` does: from compiled bytecode. With
# PYTHONDONTWRITEBYTECODE set, an editable install compiles every module of the project
# again at each start (0.27 s of a 0.85 s `archive search`, measured on a 10k archive).
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def wall_seconds(command: list[str]) -> float:
    """Wall time of one run of `command` as a new process, output discarded."""
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=CHILD_ENV)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..100) of the values."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def machine_lines() -> list[str]:
    """Date, machine, Python, load and the commit measured, as '# ' lines."""
    with open("/proc/meminfo") as meminfo:
        ram_kb = int(meminfo.readline().split()[1])
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True, check=False).stdout.strip()
    return [
        f"# date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"# machine nproc={os.cpu_count()} ram={ram_kb / 1024 / 1024:.1f}GB "
        f"python={platform.python_version()} {platform.machine()}",
        f"# load {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)",
        f"# commit {commit}",
    ]


def archive_command() -> list[str]:
    """The `archive` console script of the interpreter running the benchmark."""
    script = Path(sys.executable).with_name("archive")
    if not script.exists():
        raise SystemExit(f"no archive script next to {sys.executable}: run with .venv/bin/python")
    return [str(script)]
