"""How fast is `crmm --help` next to a bare click application?  python benchmarks/cli_startup.py

The floor is a click group with one command, started the same way (`python -c`, same
interpreter, same site-packages), measured in the same run. Both are timed as CPU time of the
child process (user + system), which a busy machine disturbs less than wall time; the median
of N runs each. Goal: crmm's `--help` costs at most twice the floor (docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 2.0

BARE = """
import click

@click.group()
def cli():
    "A bare click application."

@cli.command()
def hello():
    "Say hello."

cli(["--help"], prog_name="bare")
"""
CRMM = "from assessment.cli import main\nimport sys\nsys.argv = ['crmm', '--help']\nmain()\n"


def cpu_seconds(code: str) -> float:
    """CPU time (user + system) of one `python -c code` child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    bare, crmm = [], []
    for _ in range(args.runs):  # interleaved, so that load changes hit both alike
        bare.append(cpu_seconds(BARE))
        crmm.append(cpu_seconds(CRMM))
    floor, ours = statistics.median(bare), statistics.median(crmm)
    ratio = ours / floor
    print(f"bare click --help: {floor * 1000:.0f} ms CPU (median of {args.runs})")
    print(f"crmm --help:       {ours * 1000:.0f} ms CPU")
    verdict = "met" if ratio <= GOAL_RATIO else "NOT met"
    print(f"ratio: {ratio:.2f}x the floor (goal <= {GOAL_RATIO:.1f}x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
