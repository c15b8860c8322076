"""Writing output never destroys anything: one function (`write_atomic`, behind every command's
`-o`) tried over every kind of path, and the commands that write tried over the same kinds."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from frameworks.errors import InputError
from frameworks.fileio import write_atomic

from .conftest import MINI, ROOT, mini_args

RESPONSES = str(MINI / "responses.yaml")
# crmm run as a command, from this source tree
CRMM = [sys.executable, "-m", "assessment"]
SOURCE_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# Every command that writes an -o file, with arguments that make a small text output quickly.
COMMANDS: dict[str, list[str]] = {
    "score": ["score", RESPONSES, *mini_args()],
    "score json": ["score", RESPONSES, "--format", "json", *mini_args()],
    "report": ["report", RESPONSES, "--format", "md", *mini_args()],
    "template": ["template", "quick-check"],
    "questionnaire export": ["questionnaire", "export", "quick-check", "--format", "md"],
    "framework diff": ["framework", "diff", "crm-maturity", "crm-maturity"],
    "framework rules": ["framework", "rules"],
    "compare": ["compare", RESPONSES, RESPONSES, "--format", "json", *mini_args()],
}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def char_device(tmp_path: Path) -> Path:
    """A character device to write to: a private copy of /dev/null where we may make one
    (as root), else /dev/null itself (which an unprivileged run cannot replace anyway)."""
    if os.geteuid() == 0:
        dev = tmp_path / "null"
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        return dev
    return Path(os.devnull)


class FifoReader:
    """Reads a FIFO in a thread, as the other end of a pipe would."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path, self.data = path, b""
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as fh:
            self.data = fh.read()

    def join(self) -> bytes:
        self._thread.join(10)
        return self.data


# --- the one function --------------------------------------------------------------------------


def test_new_and_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "out.txt"
    write_atomic(out, "one")
    assert out.read_text() == "one"
    out.chmod(0o640)
    write_atomic(out, "two")
    assert out.read_text() == "two"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # an existing file keeps its mode
    assert _leftovers(out.parent) == []


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write: a directory"):
        write_atomic(tmp_path, "x")
    assert _leftovers(tmp_path) == []


def test_symlink_to_file_writes_the_target(tmp_path: Path) -> None:
    target = tmp_path / "real" / "target.txt"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    assert _leftovers(tmp_path) == [] and _leftovers(target.parent) == []


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("made.txt")
    write_atomic(link, "new")
    assert link.is_symlink() and (tmp_path / "made.txt").read_text() == "new"


def test_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    reader = FifoReader(tmp_path / "pipe")
    write_atomic(reader.path, "through the pipe")
    assert reader.join() == b"through the pipe"
    assert stat.S_ISFIFO(reader.path.stat().st_mode)


def test_character_device_is_written_not_replaced(char_device: Path) -> None:
    write_atomic(char_device, "discarded")
    assert stat.S_ISCHR(char_device.stat().st_mode)


def test_other_special_files_are_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(InputError, match="not a regular file"):
            write_atomic(path, "x")
    assert stat.S_ISSOCK(path.stat().st_mode)


def _failing(err: int) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise OSError(err, os.strerror(err))

    return fail


def test_read_only_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root may write anyway: let the system refuse as it would others
        import tempfile

        monkeypatch.setattr(tempfile, "mkstemp", _failing(errno.EACCES))
    with pytest.raises(InputError, match=r"out\.txt: cannot write: Permission denied"):
        write_atomic(folder / "out.txt", "x")
    assert list(folder.iterdir()) == []


def test_full_disk_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.txt"
    out.write_text("complete old content")
    monkeypatch.setattr(os, "fsync", _failing(errno.ENOSPC))
    with pytest.raises(InputError, match="cannot write: No space left on device"):
        write_atomic(out, "new content that does not fit")
    assert out.read_text() == "complete old content"
    assert _leftovers(tmp_path) == []


# --- every command that writes -----------------------------------------------------------------


@pytest.fixture(params=sorted(COMMANDS))
def command(request: pytest.FixtureRequest) -> list[str]:
    return COMMANDS[request.param]


def _run(args: list[str], code: int = 0) -> object:
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == code, (res.output, res.stderr, res.exception)
    assert "Traceback" not in res.output + res.stderr
    return res


def test_commands_refuse_a_directory(command: list[str], tmp_path: Path) -> None:
    res = _run([*command, "-o", str(tmp_path)], code=2)
    assert res.stderr.strip().splitlines() == [f"{tmp_path}: cannot write: a directory"]  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []


def test_commands_write_through_symlinks_fifos_and_devices(
    command: list[str], tmp_path: Path, char_device: Path
) -> None:
    target = tmp_path / "target"
    link = tmp_path / "link"
    link.symlink_to(target)
    _run([*command, "-o", str(link)])
    assert link.is_symlink() and target.stat().st_size > 0
    reader = FifoReader(tmp_path / "pipe")
    _run([*command, "-o", str(reader.path)])
    assert reader.join() == target.read_bytes() or command[0] == "compare"
    assert stat.S_ISFIFO(reader.path.stat().st_mode)
    _run([*command, "-o", str(char_device)])
    assert stat.S_ISCHR(char_device.stat().st_mode)


def test_commands_write_dash_to_standard_output(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = _run([*command, "-o", "-"])
    assert res.stdout  # type: ignore[attr-defined]
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["report", RESPONSES, *mini_args()],
        ["questionnaire", "export", "quick-check"],
        ["compare", RESPONSES, RESPONSES, *mini_args()],
    ],
    ids=["report", "questionnaire export", "compare"],
)
@pytest.mark.parametrize("name", ["slides.odp", "notes.txt", "report"])
def test_unknown_extension_is_a_usage_error(args: list[str], name: str, tmp_path: Path) -> None:
    if args[0] == "compare" and name == "notes.txt":
        pytest.skip("a comparison table is text: .txt is a format compare knows")
    res = _run([*args, "-o", str(tmp_path / name)], code=2)
    stderr = res.stderr  # type: ignore[attr-defined]
    if args[0] == "questionnaire" and name == "notes.txt":  # a survey definition's suffix
        assert "a .txt survey definition needs --format (limesurvey or wjx)" in stderr
    else:
        assert "cannot tell the format of" in stderr
    assert "--format" in stderr
    assert list(tmp_path.iterdir()) == []


def test_binary_output_is_refused_on_a_terminal(tmp_path: Path) -> None:
    """`-o -` with a PDF and standard output a terminal: a usage error before any work."""
    import pty

    main, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [*CRMM, "report", RESPONSES, "-o", "-", *mini_args()],
            env=SOURCE_ENV,
            stdout=secondary,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            timeout=60,
        )
    finally:
        os.close(secondary)
        os.close(main)
    assert proc.returncode == 2
    assert b"will not write a binary format to the terminal" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_binary_output_goes_to_a_pipe() -> None:
    res = _run(["report", RESPONSES, "--format", "docx", "-o", "-", *mini_args()])
    assert res.stdout_bytes.startswith(b"PK")  # type: ignore[attr-defined]


# --- the PDF worker dies with crmm report ------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(x) for x in text.split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def report_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    if not Path("/proc/self/task").exists():
        pytest.skip("needs Linux /proc")
    proc = subprocess.Popen(
        [*CRMM, "report", RESPONSES, "-o", "r.pdf", *mini_args()],
        env=SOURCE_ENV,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    worker = None
    while worker is None and time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        worker = kids[0] if kids else None
        time.sleep(0.01)
    if worker is None:
        proc.kill()
        pytest.skip("crmm report made no worker here (one CPU, or no fork)")
    yield proc, worker
    proc.kill()
    proc.wait()


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_pdf_worker_dies_with_report(
    report_process: tuple[subprocess.Popen[bytes], int], how: str
) -> None:
    import signal

    proc, worker = report_process
    if how == "SIGKILL":
        proc.send_signal(signal.SIGKILL)
    else:  # Ctrl-C reaches the whole foreground process group; the parent is what matters
        proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker), f"PDF worker {worker} outlived crmm report ({how})"


@pytest.mark.parametrize(
    "args",
    [
        ["score", "--batch", str(MINI), *mini_args()],
        ["import", str(ROOT / "tests" / "fixtures" / "surveys" / "plain.csv"), "--from", "csv"],
    ],
    ids=["score --batch", "import"],
)
def test_more_commands_refuse_a_directory(args: list[str], tmp_path: Path) -> None:
    from .test_import_surveys import ORG

    org = tmp_path / "org.yaml"
    org.write_text(ORG, "utf-8")
    if args[0] == "import":
        args = [*args, "--questionnaire", "quick-check", "--org", str(org)]
    res = _run([*args, "-o", str(tmp_path)], code=2)
    assert f"{tmp_path}: cannot write: a directory" in res.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in res.stderr  # type: ignore[attr-defined]
