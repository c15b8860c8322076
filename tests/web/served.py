"""`crmm serve` as a user starts it: a real server process on a free port (shared by the
command-line tests and the end-to-end journey)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path


class Served:
    def __init__(self, cwd: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("CRMM_DB", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assessment", "serve", "--port", "0", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdout is not None
        self.first = self.proc.stdout.readline()
        found = re.match(r"crmm serve: (http://127\.0\.0\.1:\d+)/ ", self.first)
        assert found, self.first + (self.proc.stderr.read() if self.proc.stderr else "")
        self.url = found.group(1)
        self.out = ""

    def setup_line(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline()

    def stop(self) -> str:
        """Ctrl+C, as a user stops it; returns what it wrote on stderr (the rest of stdout
        is in `out`)."""
        self.proc.send_signal(signal.SIGINT)
        try:
            self.out, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.out, err = self.proc.communicate()
        return err
