"""The kill test: a real server process (waitress on create_app, as `crmm serve` runs it) is
killed with SIGKILL while a respondent is answering; started again on the same SQLite file,
it has every answer it acknowledged before the kill, and the respondent carries on."""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from assessment.web import create_app
from assessment.web.db import make_engine
from assessment.web.models import AnswerRow

from .respond_fixtures import make_survey, page_csrf, pages_of

pytestmark = pytest.mark.slow

SERVE = (
    "import sys; from waitress import serve; from assessment.web import create_app; "
    "serve(create_app({'DATABASE': sys.argv[1]}), host='127.0.0.1', port=int(sys.argv[2]),"
    " threads=4)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(db: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(db), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).parents[2],
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not answer within 60 s")


def _value(question: Any) -> str:
    return {
        "anchored": "3",
        "likert": "4",
        "yes_partly_no": "partly",
        "kpi": "50",
        "text": "weekly review",
    }.get(question.type) or (question.options or [])[0].id


def test_answers_acknowledged_before_sigkill_survive(tmp_path: Path) -> None:
    db = tmp_path / "crmm.sqlite"
    app = create_app({"DATABASE": str(db)})
    survey = make_survey(app)
    questions = [x for page in pages_of(app, survey, "sales") for x in page]
    app.extensions["crmm_engine"].dispose()
    token = survey.tokens["sales-a"]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    server = _start(db, port)
    try:
        html = opener.open(f"{base}/r/{token}", timeout=10).read().decode()
        csrf = page_csrf(html)

        def answer(qid: str, value: str) -> dict[str, Any]:
            body = urllib.parse.urlencode(
                {"question": qid, "value": value, "comment": "", "evidence": ""}
            ).encode()
            request = urllib.request.Request(
                f"{base}/r/{token}/answer",
                data=body,
                headers={"X-CSRFToken": csrf, "Accept": "application/json"},
            )
            with opener.open(request, timeout=10) as response:
                return dict(json.loads(response.read()))

        acknowledged: dict[str, str] = {}
        stop = threading.Event()

        def respondent() -> None:  # answers as fast as the server acknowledges
            for x in questions:
                if stop.is_set():
                    return
                try:
                    reply = answer(x.id, _value(x))
                except (OSError, urllib.error.URLError):
                    return
                if reply.get("saved") == x.id:
                    acknowledged[x.id] = _value(x)

        thread = threading.Thread(target=respondent)
        thread.start()
        while len(acknowledged) < 12 and thread.is_alive():
            time.sleep(0.005)
        os.kill(server.pid, signal.SIGKILL)  # mid-session: more answers are on their way
        server.wait(timeout=10)
        stop.set()
        thread.join(timeout=30)
        assert 12 <= len(acknowledged) < len(questions)

        engine = make_engine(db)
        with engine.connect() as conn:
            rows = conn.execute(AnswerRow.__table__.select()).all()
        engine.dispose()
        stored = {r.question_id: json.loads(r.value_json) for r in rows}
        for qid, value in acknowledged.items():
            assert qid in stored, f"{qid} acknowledged but lost"
            assert stored[qid] == (int(value) if value.isdigit() else value), qid
        assert len(rows) == len(stored)  # one row per question, none doubled

        server = _start(db, port)  # the same database: the respondent carries on
        remaining = [x for x in questions if x.id not in stored]
        reply = answer(remaining[0].id, _value(remaining[0]))
        assert reply["answered"] == len(stored) + 1
        page = opener.open(f"{base}/r/{token}", timeout=10).read().decode()
        assert "已答" in page and f"{len(stored) + 1}/48" in page
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
