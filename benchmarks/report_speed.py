"""How fast is `crmm report` next to WeasyPrint alone?  Run: python benchmarks/report_speed.py

Input: the demo organisation answering the quick-check questionnaire (a zh-CN report of about
20 pages). Two floors, each WeasyPrint alone on the very HTML and CSS our renderer produces:
in-process (a fresh font configuration and stylesheet each time), against which
`render_report` is measured, and WeasyPrint's own command line (same HTML, stylesheet and
two attached files), against which the `crmm report` command is measured: both commands pay
Python start-up, imports and the first-render warm-up. Medians of N runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_RATIO = 1.2
GOAL_SECONDS = 3.0
GOAL_BYTES = 2 * 1024 * 1024


def median_time(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls of `fn`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions per measurement")
    parser.add_argument("--questionnaire", default="quick-check")
    parser.add_argument("--lang", default="zh-CN")
    args = parser.parse_args()

    import weasyprint
    from pypdf import PdfReader
    from weasyprint.text.fonts import FontConfiguration

    from assessment.demo import demo_responses
    from assessment.engine import assess
    from assessment.responses import parse_responses
    from assessment.verify import embedded_files
    from questionnaires.loader import load_questionnaire
    from reports import render_report
    from reports.context import build_context
    from reports.pdf import BASE_URL, url_fetcher
    from reports.render import STYLESHEET, _html
    from reports.templating import environment, template_source

    q, fw = load_questionnaire(args.questionnaire)
    text = yaml.safe_dump(demo_responses(q, fw), allow_unicode=True, sort_keys=False)
    work = Path(tempfile.mkdtemp(prefix="crmm-bench-"))
    responses_file = work / "responses.yaml"
    responses_file.write_text(text, "utf-8")
    loaded = parse_responses(text.encode(), str(responses_file))
    result = assess(loaded, q, fw)
    env = environment(None)
    ctx = build_context(result, fw, q, args.lang, None, loaded.responses)
    from markupsafe import Markup

    html, css = _html(ctx, env, Markup("")), template_source(env, STYLESHEET)

    def floor() -> bytes:
        fonts = FontConfiguration()
        sheet = weasyprint.CSS(
            string=css, base_url=BASE_URL, url_fetcher=url_fetcher(), font_config=fonts
        )
        doc = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher())
        return doc.write_pdf(stylesheets=[sheet], font_config=fonts)  # type: ignore[no-any-return]

    def ours() -> bytes:
        return render_report(
            result,
            fw,
            q,
            lang=args.lang,
            fmt="pdf",
            attachments=embedded_files(result, text.encode()),
            responses=loaded.responses,
        )

    (work / "static").mkdir(exist_ok=True)
    html_file, css_file = work / "report.html", work / "static" / "report.css"
    html_file.write_text(html, "utf-8")
    css_file.write_text(css, "utf-8")
    fonts_dir = ROOT / "reports" / "fonts"
    (work / "fonts").mkdir(exist_ok=True)
    for font in fonts_dir.glob("*.woff2"):
        (work / "fonts" / font.name).write_bytes(font.read_bytes())
    attached = [(work / name, data) for name, data in embedded_files(result, text.encode())]
    for path, data in attached:
        path.write_bytes(data)
    floor_cmd = [sys.executable, "-m", "weasyprint", str(html_file), str(work / "floor.pdf")]
    floor_cmd += ["-s", str(css_file), "-u", (work / "static").as_uri() + "/"]
    for path, _ in attached:
        floor_cmd += ["-a", str(path)]

    def floor_command() -> None:
        subprocess.run(floor_cmd, check=True, cwd=work, capture_output=True)

    out = work / "report.pdf"
    command = [sys.executable, "-m", "assessment", "report", str(responses_file)]
    command += ["-o", str(out), "--lang", args.lang]

    def whole() -> None:
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True)

    floor()  # warm-up: imports and first font load are not part of either side
    t_floor = median_time(floor, args.runs)
    t_ours = median_time(ours, args.runs)
    t_cmd = median_time(whole, args.runs)
    t_floor_cmd = median_time(floor_command, args.runs)
    floor_pages = len(PdfReader(work / "floor.pdf").pages)
    size = out.stat().st_size

    pages = len(PdfReader(out).pages)

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(f"input: demo organisation, {args.questionnaire}, {args.lang}, {pages} pages")
    print(f"runs: {args.runs} (median)")
    print(f"floor in-process (WeasyPrint alone, same HTML): {t_floor:6.2f} s")
    print(f"render_report in-process:       {t_ours:6.2f} s  {t_ours / t_floor:4.2f}x floor")
    print(f"floor command (weasyprint CLI, same HTML, {floor_pages} pages): {t_floor_cmd:6.2f} s")
    print(f"`crmm report` command:          {t_cmd:6.2f} s  {t_cmd / t_floor_cmd:4.2f}x floor")
    print(f"PDF size:                       {size / 1e6:6.2f} MB")
    print(f"goal in-process <= {GOAL_RATIO}x floor: {verdict(t_ours <= GOAL_RATIO * t_floor)}")
    print(f"goal command <= {GOAL_RATIO}x floor:    {verdict(t_cmd <= GOAL_RATIO * t_floor_cmd)}")
    print(f"goal command <= {GOAL_SECONDS} s:        {verdict(t_cmd <= GOAL_SECONDS)}")
    print(f"goal PDF <= 2 MB:              {verdict(size <= GOAL_BYTES)}")


if __name__ == "__main__":
    main()
