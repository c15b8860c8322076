"""Import and score 100 000 respondents × 79 questions, next to pandas reading the same file.

Run: python benchmarks/import_scale.py [--rows N] [--keep FILE]

Input: a plain CSV export (`crmm import --from csv` layout: respondent, role, department, a
submit-time column, then one column per question id) of the built-in `full-audit`
questionnaire (79 questions: 76 scored, 3 free text), generated with a fixed seed. Cells are
a realistic mix: level numbers (some full-width, some anchor texts), agreement labels,
是/部分/否 and yes/no, option numbers and option texts, several options joined with ┋,
KPI values with their unit (`85%`, `4.5天`), `不适用`, free text and empty cells.

Each measurement runs in its own Python process, timed inside it after its imports:
- floor: `pandas.read_csv(FILE)` with default options;
- ours: `IMPORTERS["csv"](FILE, questionnaire, options)` (the columnar import) plus
  `assess_table` on its table (the complete AssessmentResult).
Peak memory is the process's `ru_maxrss` (resource.getrusage), so it includes the Python
interpreter and the imported libraries. Medians of --runs runs, floor and ours alternated.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_RATIO = 3.0
GOAL_BYTES = 1024**3
SEED = 20261201
LIKERT_WORDS = ["完全不同意", "不同意", "一般", "同意", "完全同意"]
TEXTS = [
    "加强客户数据治理",
    "希望投诉处理更快",
    "需要更多培训",
    "Better CRM reporting",
    "跨部门协作不足，信息不通",
    "",
]
ROLES = ["管理层", "销售", "市场营销", "客户服务", "IT", "sales", "service"]
DEPARTMENTS = ["总经理办公室", "华东销售部", "华南销售部", "市场部", "客服中心", "信息技术部"]


def generate(path: Path, rows: int, seed: int = SEED) -> None:
    """Write the benchmark export: `rows` respondents of full-audit, deterministic."""
    import numpy as np
    import pandas as pd

    from questionnaires.loader import load_questionnaire

    q, _ = load_questionnaire("full-audit")
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {
        "respondent": np.arange(1, rows + 1),
        "role": rng.choice(ROLES, rows),
        "department": rng.choice(DEPARTMENTS, rows),
        "提交答卷时间": [
            f"2026/11/{d:02d} {h:02d}:{m:02d}:{s:02d}"
            for d, h, m, s in zip(
                rng.integers(1, 29, rows),
                rng.integers(8, 20, rows),
                rng.integers(0, 60, rows),
                rng.integers(0, 60, rows),
                strict=True,
            )
        ],
    }
    for x in q.questions:
        columns[x.id] = _answers(x, rng, rows)
    pd.DataFrame(columns).to_csv(path, index=False, encoding="utf-8")


def _answers(x: Any, rng: Any, rows: int) -> Any:
    """One question's column: a realistic mix of how platforms write answers."""
    import numpy as np

    level = rng.choice(5, rows, p=[0.1, 0.2, 0.3, 0.25, 0.15])
    pick = rng.random(rows)
    if x.type in ("anchored", "likert"):
        numbers = np.array(["1", "2", "3", "4", "5"], dtype=object)[level]
        if x.type == "anchored":
            other = np.array([a.zh for a in x.anchors], dtype=object)[level]
        else:
            other = np.array(LIKERT_WORDS, dtype=object)[level]
        wide = np.array(["１", "２", "３", "４", "５"], dtype=object)[level]
        out = np.where(pick < 0.8, numbers, np.where(pick < 0.9, other, wide))
    elif x.type == "yes_partly_no":
        words = np.array(["是", "部分", "否", "yes", "no"], dtype=object)
        out = words[rng.choice(5, rows, p=[0.35, 0.3, 0.25, 0.05, 0.05])]
    elif x.type == "kpi":
        k = x.kpi
        lo, hi = (k.minimum or 0.0), (k.maximum if k.maximum is not None else 100.0)
        values = np.round(rng.uniform(lo, min(hi, lo + 100.0), rows), 1)
        unit = k.unit.zh
        out = np.array(
            [f"{v:g}{unit}" if p < 0.5 else f"{v:g}" for v, p in zip(values, pick, strict=True)]
        )
        out = out.astype(object)
    elif x.type == "single_choice":
        count = len(x.options)
        position = rng.integers(0, count, rows)
        texts = np.array([o.text.zh for o in x.options], dtype=object)[position]
        out = np.where(pick < 0.7, (position + 1).astype(str).astype(object), texts)
    elif x.type == "multiple_choice":
        count = len(x.options) - 1  # the last option is "none of the above"
        masks = rng.integers(1, 2**count, rows)
        combos = {}
        for m in np.unique(masks):
            chosen = [i for i in range(count) if int(m) >> i & 1]
            combos[int(m)] = (
                "┋".join(x.options[i].text.zh for i in chosen),
                ";".join(str(i + 1) for i in chosen),
            )
        out = np.array(
            [combos[int(m)][0 if p < 0.3 else 1] for m, p in zip(masks, pick, strict=True)],
            dtype=object,
        )
    else:
        out = np.array(TEXTS, dtype=object)[rng.integers(0, len(TEXTS), rows)]
    gaps = rng.random(rows)
    out = np.where(gaps < 0.04, "", out)
    if x.allow_na:
        out = np.where(gaps > 0.95, "不适用", out)
    return out


def measure(kind: str, path: Path) -> dict[str, float]:
    """One measurement in this process: seconds after imports, peak RSS in bytes."""
    import resource

    import pandas as pd

    from assessment.table_scoring import assess_table
    from questionnaires.importers import IMPORTERS, ImportOptions
    from questionnaires.loader import load_questionnaire

    q, fw = load_questionnaire("full-audit")
    extra: dict[str, float] = {}
    start = time.perf_counter()
    if kind == "floor":
        frame = pd.read_csv(path)
        extra["cells"] = float(frame.size)
    else:
        imported = IMPORTERS["csv"](path, q, ImportOptions())
        assert not imported.problems, imported.problems[:3]
        mid = time.perf_counter()
        org = {"name": "基准公司", "industry": "retail", "size": "large", "region": "east-china"}
        result = assess_table(
            imported.table, q, fw, org, imported.date or "2026-11-30", path.name, "0" * 64
        )
        extra["import_seconds"] = mid - start
        extra["score_seconds"] = time.perf_counter() - mid
        extra["respondents"] = float(len(result.respondents))
        extra["overall"] = float(result.overall.score or 0.0)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return {"seconds": seconds, "peak": float(peak), **extra}


def _run(kind: str, path: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--measure", kind, str(path)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="respondents (default 100000)")
    parser.add_argument("--runs", type=int, default=1, help="repetitions per measurement")
    parser.add_argument("--keep", type=Path, help="write the generated export here and keep it")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    with tempfile.TemporaryDirectory(prefix="crmm-scale-") as tmp:
        path = args.keep or Path(tmp) / "export.csv"
        start = time.perf_counter()
        generate(path, args.rows)
        made = time.perf_counter() - start
        size = path.stat().st_size
        floors, ours = [], []
        for _ in range(args.runs):  # alternated, so that a busy moment hits both alike
            floors.append(_run("floor", path))
            ours.append(_run("ours", path))
    t_floor = statistics.median(m["seconds"] for m in floors)
    t_ours = statistics.median(m["seconds"] for m in ours)
    t_import = statistics.median(m["import_seconds"] for m in ours)
    t_score = statistics.median(m["score_seconds"] for m in ours)
    peak_floor = max(m["peak"] for m in floors)
    peak_ours = max(m["peak"] for m in ours)
    ratio = t_ours / t_floor

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    cells = int(floors[0]["cells"])
    print(f"input: full-audit, {args.rows} respondents, plain CSV, {size / 1e6:.1f} MB")
    print(f"       ({cells} cells incl. 4 respondent columns; generated in {made:.1f} s)")
    print(f"runs: {args.runs} (median); peak memory: ru_maxrss of each measuring process")
    print(f"floor (pandas.read_csv):        {t_floor:7.2f} s  peak {peak_floor / 2**20:6.0f} MiB")
    print(f"ours (import + assess_table):   {t_ours:7.2f} s  peak {peak_ours / 2**20:6.0f} MiB")
    print(f"  of which import {t_import:.2f} s, scoring {t_score:.2f} s")
    print(f"ratio ours / floor:             {ratio:7.2f}x")
    print(f"overall score: {ours[0]['overall']:.2f} ({int(ours[0]['respondents'])} respondents)")
    print(f"goal <= {GOAL_RATIO:g}x floor:  {verdict(ratio <= GOAL_RATIO)}")
    print(f"goal peak <= 1 GiB: {verdict(peak_ours <= GOAL_BYTES)}")


if __name__ == "__main__":
    main()
