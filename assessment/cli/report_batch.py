"""`crmm report --batch DIR`: one report per responses file, rendered in a process pool."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from reports.brand import Brand

RESPONSES_SUFFIXES = (".yaml", ".yml", ".json")
EXTENSIONS = {"pdf": ".pdf", "html": ".html", "md": ".md", "json": ".json"}
EXTENSIONS |= {"docx": ".docx", "xlsx": ".xlsx", "pptx": ".pptx"}


def render_one(
    responses: Path,
    output: Path,
    lang: str | None,
    fmt: str,
    questionnaire: str | None,
    framework: str | None,
    brand: Brand | None = None,
) -> list[str]:
    """Render one report file; the `FILE: field: message` lines of its failure, or []."""
    from frameworks.errors import CrmmError
    from frameworks.fileio import read_bytes, write_atomic
    from reports import render_report

    from ..engine import assess
    from .base import load_inputs, pick_lang

    try:
        loaded, q, fw = load_inputs(responses, questionnaire, framework)
        result = assess(loaded, q, fw)
        data = render_report(
            result,
            fw,
            q,
            lang=pick_lang(fw, lang),
            fmt=fmt,
            responses_file=read_bytes(responses),
            responses=loaded.for_report(q),
            brand=brand,
        )
        write_atomic(output, data)
    except CrmmError as exc:
        return exc.lines()
    return []


def run_report_batch(
    folder: Path,
    outdir: Path,
    lang: str | None,
    fmt: str,
    jobs: int,
    questionnaire: str | None,
    framework: str | None,
    brand: Brand | None = None,
) -> None:
    """Render every responses file of `folder` into `outdir` (with `brand`, if given);
    exit 2 if any failed."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in RESPONSES_SUFFIXES)
    if not files:
        raise click.UsageError(f"no responses files (*.yaml, *.yml, *.json) in {folder}")
    outdir.mkdir(parents=True, exist_ok=True)
    ext = EXTENSIONS[fmt]
    if fmt == "json" and any(f.suffix.lower() == ".json" for f in files):
        ext = ".result.json"
    failures: dict[Path, list[str]] = {}
    bar: ProgressBar[int] = click.progressbar(length=len(files), label="reports", file=sys.stderr)
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(files)))) as pool, bar:
        futures = {
            pool.submit(
                render_one, f, outdir / (f.stem + ext), lang, fmt, questionnaire, framework, brand
            ): f
            for f in files
        }
        for future in as_completed(futures):
            lines = future.result()
            if lines:
                failures[futures[future]] = lines
            bar.update(1)
    from .commands import warn_missing_glyphs

    for f in files:
        for line in failures.get(f, []):
            click.echo(line, err=True)
        if fmt == "pdf" and f not in failures:
            warn_missing_glyphs(f)
    click.echo(f"wrote {len(files) - len(failures)} of {len(files)} reports to {outdir}", err=True)
    if failures:
        raise SystemExit(2)
