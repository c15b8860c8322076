"""Scoring a large responses file against scoring its export (issue 12 §4).

Run: python benchmarks/responses_scale.py [--rows N] [--yaml] [--report] [--keep DIR]

Input: `import_scale.py`'s generated CSV export of the full-audit questionnaire (N
respondents, default 100 000), turned by `crmm import` into a columnar JSON responses file
(and, with --yaml, the usual YAML file). Measured in the same run, each command as its own
process (wall time, and peak RSS from `os.wait4`):

- **floor** — `crmm score EXPORT --from csv --format json` (the export read into its answer
  table and scored);
- **json** — `crmm score FILE.json --format json` on the same answers;
- **yaml** (with --yaml) — `crmm score FILE.yaml --format json`;
- **report** (with --report) — `crmm report FILE.json -o report.pdf`, against `crmm score`
  of the same file plus `crmm report` of a 40-respondent file cut from it.

`--keep DIR` copies the generated files (export, org, columnar JSON and its 40-respondent cut)
into DIR, e.g. to profile `crmm report DIR/r.json` in-process.

Goals: json ≤ 2× floor, ≤ 1.5 GB peak; report ≤ 2× (score + the 40-respondent report).
Figures are ratios of one run on a shared machine; no test asserts a time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 2.0
GOAL_BYTES = 1.5 * 1024**3
ORG = "name: 基准公司\nindustry: retail\nsize: large\nregion: east-china\n"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "import_scale", ROOT / "benchmarks" / "import_scale.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(args: list[str]) -> tuple[float, float]:
    """`crmm ARGS` as a process: (seconds, peak RSS in bytes)."""
    cmd = [sys.executable, "-m", "assessment", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err}")
    return seconds, usage.ru_maxrss * 1024.0  # KiB on Linux


def head(doc: dict[str, Any], n: int) -> dict[str, Any]:
    """A columnar responses document cut to its first n respondents."""
    out = dict(doc)
    out["respondents"] = {k: v[:n] for k, v in doc["respondents"].items()}
    out["answers"] = {k: v[:n] for k, v in doc["answers"].items()}
    for name in ("comments", "evidence"):
        if name in doc:
            out[name] = {
                q: {i: x for i, x in cells.items() if int(i) < n} for q, cells in doc[name].items()
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="respondents (default 100000)")
    parser.add_argument("--yaml", action="store_true", help="also score the YAML file (slow)")
    parser.add_argument("--report", action="store_true", help="also measure crmm report")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the generated files in DIR")
    args = parser.parse_args()
    figures: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="crmm-responses-") as tmp:
        d = Path(tmp)
        export, org = d / "export.csv", d / "org.yaml"
        _generator().generate(export, args.rows)
        org.write_text(ORG, encoding="utf-8")
        how = ["--from", "csv", "--questionnaire", "full-audit", "--org", str(org)]
        run(["import", str(export), *how, "-o", str(d / "r.json")])
        sizes = {"json": (d / "r.json").stat().st_size}
        if args.yaml:
            run(["import", str(export), *how, "-o", str(d / "r.yaml")])
            sizes["yaml"] = (d / "r.yaml").stat().st_size
        figures["floor"] = run(["score", str(export), *how, "--format", "json"])
        figures["json"] = run(["score", str(d / "r.json"), "--format", "json"])
        if args.yaml:
            figures["yaml"] = run(["score", str(d / "r.yaml"), "--format", "json"])
        if args.report:
            doc = json.loads((d / "r.json").read_text(encoding="utf-8"))
            small = d / "r40.json"
            small.write_text(json.dumps(head(doc, 40), ensure_ascii=False), encoding="utf-8")
            del doc
            figures["report40"] = run(["report", str(small), "-o", str(d / "r40.pdf")])
            figures["report"] = run(["report", str(d / "r.json"), "-o", str(d / "r.pdf")])
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            for f in sorted(d.iterdir()):
                if f.suffix in (".csv", ".yaml", ".json"):
                    shutil.copy2(f, args.keep / f.name)
    t_floor, peak_floor = figures["floor"]
    t_json, peak_json = figures["json"]
    mib = 1024**2
    print(f"{args.rows} respondents; columnar JSON {sizes['json'] / mib:.0f} MiB", end="")
    print(f", YAML {sizes['yaml'] / mib:.0f} MiB" if "yaml" in sizes else "")
    for name, (t, peak) in figures.items():
        print(f"  {name:9s} {t:8.2f} s  {peak / mib:7.0f} MiB  {t / t_floor:6.2f}× floor")
    ok = t_json <= GOAL_RATIO * t_floor and peak_json <= GOAL_BYTES
    print(
        f"goal crmm score FILE.json ≤ {GOAL_RATIO:g}× floor and ≤ 1.5 GB:"
        f" {'met' if ok else 'MISSED'} ({t_json / t_floor:.2f}×, {peak_json / mib:.0f} MiB;"
        f" floor {peak_floor / mib:.0f} MiB)"
    )
    if "report" in figures:
        budget = t_json + figures["report40"][0]
        ratio = figures["report"][0] / budget
        print(
            f"goal crmm report FILE.json ≤ 2× (score + 40-respondent report):"
            f" {'met' if ratio <= 2 else 'MISSED'} ({ratio:.2f}×)"
        )


if __name__ == "__main__":
    main()
