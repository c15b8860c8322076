"""`crmm report --batch DIR -o OUTDIR --jobs N`: one report per responses file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assessment.cli import cli

from .conftest import MINI, mini_args


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    text = (MINI / "responses.yaml").read_text("utf-8")
    (folder / "alpha.yaml").write_text(text, "utf-8")
    (folder / "beta.yml").write_text(text.replace("Mini Co", "Beta Co"), "utf-8")
    (folder / "broken.yaml").write_text("foo: [\n", "utf-8")
    (folder / "notes.txt").write_text("not a responses file", "utf-8")
    return folder


def test_batch_writes_the_good_reports_and_lists_failures(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["report", "--batch", str(_folder(tmp_path)), "-o", str(out), "--jobs", "2"]
    res = runner.invoke(cli, [*args, "--format", "md", "--lang", "en", *mini_args()])
    assert res.exit_code == 2, res.output
    assert sorted(p.name for p in out.iterdir()) == ["alpha.md", "beta.md"]
    assert "Mini Co" in (out / "alpha.md").read_text("utf-8")
    assert "Beta Co" in (out / "beta.md").read_text("utf-8")
    broken = str(tmp_path / "in" / "broken.yaml")
    assert f"{broken}: line 2, column 1: YAML syntax error" in res.stderr
    assert "wrote 2 of 3 reports" in res.stderr


def test_batch_pdf_all_good(runner: CliRunner, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "broken.yaml").unlink()
    (folder / "beta.yml").unlink()
    out = tmp_path / "out"
    args = ["report", "--batch", str(folder), "-o", str(out), "--jobs", "1", *mini_args()]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert (out / "alpha.pdf").read_bytes().startswith(b"%PDF-")


def test_batch_and_responses_are_exclusive(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["report", "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    assert "give either RESPONSES or --batch DIR" in res.output


def test_batch_refuses_single_report_options(runner: CliRunner, tmp_path: Path) -> None:
    args = ["report", "--batch", str(tmp_path), "-o", str(tmp_path / "o"), "--target-level", "3"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 2
    assert "--batch takes only" in res.output
