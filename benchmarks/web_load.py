"""50 respondents answering the full audit at once in crmm serve, next to Flask's bare "hello".

Run: python benchmarks/web_load.py [--respondents 50] [--postgres URL] [--threads 8]

A bounded load test on loopback, not a timed test (CI does not run it). For each database
(SQLite in a temporary folder, then PostgreSQL if --postgres gives a server URL: a fresh
database is made on it and dropped after):

1. the server is started the way `crmm serve` starts it — create_app on waitress with
   --threads threads — in a process of its own, so that the simulated respondents (threads
   here) do not share its interpreter;
2. an assessment of the built-in full-audit questionnaire gets --respondents respondents,
   roles in turn (leadership, sales, marketing, service, IT), each with a link of their own,
   made with the library (assessment.web.invitations) as the consultant's page makes them;
3. all respondents start at once (a barrier). Each, with a keep-alive connection and a cookie
   jar of its own, opens its link (/r/<token>, redirected to its first page), reads the page's
   CSRF token, then for every page of its role fetches /r/<token>/p/<n> and POSTs every
   question's answer to /r/<token>/answer (form fields `question`, `value`; header
   X-CSRFToken; a JSON reply `{"saved": …}`), as respond.js does;
4. the database is checked: every answer there exactly once, with the value sent.

The floor is Flask's bare "hello" route (`Flask(__name__)` with one view returning a string)
served by the same waitress, the same way, in the same run: the same clients make as many
requests of it, GET for each page and POST for each save. Printed: p50/p95 of the save
latency and pages per second, each as a ratio to the floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONNAIRE = "full-audit"
_CSRF = re.compile(
    r'(?:name="csrf_token"[^>]*?value="([^"]+)"|name="csrf-token"[^>]*?content="([^"]+)")'
)

SERVER = """
import logging
import sys
from waitress.server import create_server
logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth": expected here
kind, db, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
if kind == "hello":
    from flask import Flask
    app = Flask("hello")

    @app.route("/", methods=["GET", "POST"])
    def hello():
        return "Hello, World!"
else:
    from assessment.web import create_app
    app = create_app({"DATABASE": db})
server = create_server(app, host="127.0.0.1", port=0, threads=threads, ident="crmm")
print(server.effective_port, flush=True)
server.run()
"""


# --- the assessment ----------------------------------------------------------------------------


@dataclass
class Respondent:
    token: str
    rid: str
    pages: list[list[tuple[str, list[str], Any]]]  # per page: (question id, form values, value)


def answer_for(question: Any) -> tuple[list[str], Any]:
    """A valid answer to the question: what the form sends, and the value stored."""
    kind = question.type
    if kind in ("anchored", "likert"):
        return ["3"], 3
    if kind == "yes_partly_no":
        return ["partly"], "partly"
    if kind == "kpi":
        value = question.kpi.thresholds[0]
        return [str(value)], value
    if kind == "single_choice":
        return [question.options[0].id], question.options[0].id
    if kind == "multiple_choice":
        chosen = [o.id for o in question.options[:2]]
        return chosen, chosen
    return ["测试 answer text"], "测试 answer text"


def make_assessment(db: str, respondents: int) -> list[Respondent]:
    """An owner, an assessment of the full audit and `respondents` links, via the library."""
    import datetime as dt

    from assessment.web import create_app, store
    from assessment.web.invitations import add_respondent, invite
    from assessment.web.models import Assessment, User
    from assessment.web.security import hash_password

    app = create_app({"DATABASE": db})
    made: list[Respondent] = []
    with app.extensions["crmm_sessions"]() as session:
        owner = User(
            email="load@example.com",
            name="Load",
            password_hash=hash_password("load test password"),
            is_admin=False,
            active=True,
        )
        session.add(owner)
        session.flush()
        a = Assessment(
            owner_id=owner.id,
            organization="Load Test Co",
            industry="retail",
            size="medium",
            region="east-china",
            date=dt.date(2026, 12, 3),
            **store.pin(QUESTIONNAIRE),
        )
        session.add(a)
        session.flush()
        q, fw = store.pinned(a)
        roles = [r.id for r in q.roles]
        for i in range(respondents):
            role = roles[i % len(roles)]
            resp = add_respondent(session, a, f"r{i + 1:03d}", role, department=f"Dept {i % 7}")
            _inv, token = invite(session, a, "respondent", role, resp, days=7)
            pages = [
                [(x.id, *answer_for(x)) for x in page] for page in store.questions_for(q, fw, role)
            ]
            made.append(Respondent(token, resp.rid, pages))
        session.commit()
    app.extensions["crmm_engine"].dispose()
    return made


def check_database(db: str, respondents: list[Respondent]) -> tuple[int, int, int]:
    """(answers expected, answers stored, answers wrong or missing): every answer once."""
    from sqlalchemy import func, select

    from assessment.web import db as webdb
    from assessment.web.models import AnswerRow
    from assessment.web.models import Respondent as Row

    engine = webdb.make_engine(db)
    expected = {
        (r.rid, qid): value for r in respondents for page in r.pages for qid, _f, value in page
    }
    with webdb.session_factory(engine)() as session:
        rows = session.execute(
            select(Row.rid, AnswerRow.question_id, AnswerRow.value_json).join(
                AnswerRow, AnswerRow.respondent_id == Row.id
            )
        ).all()
        distinct = session.scalar(
            select(func.count()).select_from(
                select(AnswerRow.respondent_id, AnswerRow.question_id).distinct().subquery()
            )
        )
    engine.dispose()
    stored = {(rid, qid): json.loads(v) if v else None for rid, qid, v in rows}
    wrong = sum(1 for key, value in expected.items() if stored.get(key) != value)
    extra = len(rows) - len(expected) + (len(rows) - int(distinct or 0))
    return len(expected), len(rows), wrong + max(extra, 0)


# --- the clients -------------------------------------------------------------------------------


@dataclass
class Client:
    port: int
    cookies: SimpleCookie = field(default_factory=SimpleCookie)
    conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None, csrf: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Connection": "keep-alive"}
        jar = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if jar:
            headers["Cookie"] = jar
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Accept"] = "application/json"
        if csrf:
            headers["X-CSRFToken"] = csrf
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        return response.status, dict(response.headers.items()), data

    def get(self, path: str) -> tuple[int, bytes]:
        """GET, following redirects on this site."""
        for _ in range(5):
            status, headers, data = self.request("GET", path)
            if status in (301, 302, 303, 307, 308):
                path = urllib.parse.urlsplit(headers["Location"]).path
                continue
            return status, data
        raise RuntimeError(f"too many redirects from {path}")


@dataclass
class Timings:
    saves: list[float] = field(default_factory=list)
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def respondent_run(port: int, r: Respondent, hello: bool, timings: Timings) -> None:
    """One respondent: open the link, then each page and each of its answers."""
    client = Client(port)
    saves: list[float] = []
    pages = 0
    try:
        if hello:
            client.get("/")
            csrf = ""
        else:
            status, data = client.get(f"/r/{r.token}")
            found = _CSRF.search(data.decode("utf-8", "replace"))
            if status != 200 or not found:
                raise RuntimeError(f"{r.rid}: link page {status}, CSRF token found: {bool(found)}")
            csrf = found.group(1) or found.group(2)
        for n, page in enumerate(r.pages, 1):
            status, _data = client.get("/" if hello else f"/r/{r.token}/p/{n}")
            if status != 200:
                raise RuntimeError(f"{r.rid}: page {n}: {status}")
            pages += 1
            for qid, values, _value in page:
                form = [("question", qid)] + [("value", v) for v in values]
                started = time.perf_counter()
                status, _h, body = client.request(
                    "POST", "/" if hello else f"/r/{r.token}/answer", form, csrf
                )
                saves.append(time.perf_counter() - started)
                if status != 200 or (not hello and json.loads(body).get("saved") != qid):
                    raise RuntimeError(f"{r.rid}: {qid}: {status} {body[:200]!r}")
    except Exception as exc:  # reported with the figures
        with timings.lock:
            timings.errors.append(str(exc))
    finally:
        if client.conn is not None:
            client.conn.close()
    with timings.lock:
        timings.saves.extend(saves)
        timings.pages += pages


def load(port: int, respondents: list[Respondent], hello: bool) -> tuple[Timings, float]:
    """Every respondent at once; returns the timings and the wall time."""
    timings = Timings()
    barrier = threading.Barrier(len(respondents) + 1)

    def run(r: Respondent) -> None:
        barrier.wait()
        respondent_run(port, r, hello, timings)

    threads = [threading.Thread(target=run, args=(r,)) for r in respondents]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return timings, time.perf_counter() - started


# --- the servers -------------------------------------------------------------------------------


class Server:
    """A waitress server in a process of its own (crmm's app, or the bare hello app)."""

    def __init__(self, kind: str, db: str, threads: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, kind, db, str(threads)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError(f"the {kind} server did not start")
        self.port = int(line)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def measure(name: str, db: str, respondents: int, threads: int) -> dict[str, Any]:
    people = make_assessment(db, respondents)
    floor_server = Server("hello", db, threads)
    try:
        floor, floor_wall = load(floor_server.port, people, hello=True)
    finally:
        floor_server.stop()
    app_server = Server("app", db, threads)
    try:
        ours, ours_wall = load(app_server.port, people, hello=False)
    finally:
        app_server.stop()
    expected, stored, wrong = check_database(db, people)
    result = {
        "database": name,
        "respondents": respondents,
        "answers_expected": expected,
        "answers_stored": stored,
        "answers_wrong_missing_or_duplicated": wrong,
        "errors": ours.errors[:5] + floor.errors[:5],
        "save_p50_ms": 1000 * pct(ours.saves, 50) if ours.saves else None,
        "save_p95_ms": 1000 * pct(ours.saves, 95) if ours.saves else None,
        "hello_p50_ms": 1000 * pct(floor.saves, 50),
        "hello_p95_ms": 1000 * pct(floor.saves, 95),
        "pages_per_s": ours.pages / ours_wall,
        "hello_pages_per_s": floor.pages / floor_wall,
        "saves_per_s": len(ours.saves) / ours_wall,
        "wall_s": ours_wall,
    }
    return result


def report(r: dict[str, Any]) -> None:
    print(f"== {r['database']}: {r['respondents']} respondents at once, full audit")
    print(
        f"answers: {r['answers_stored']} stored of {r['answers_expected']} sent;"
        f" wrong, missing or duplicated: {r['answers_wrong_missing_or_duplicated']}"
    )
    for e in r["errors"]:
        print(f"error: {e}")
    if r["save_p50_ms"] is None:
        return
    print(
        f"save latency p50: {r['save_p50_ms']:.1f} ms (hello {r['hello_p50_ms']:.1f} ms):"
        f" {r['save_p50_ms'] / r['hello_p50_ms']:.1f}x the floor"
    )
    print(
        f"save latency p95: {r['save_p95_ms']:.1f} ms (hello {r['hello_p95_ms']:.1f} ms):"
        f" {r['save_p95_ms'] / r['hello_p95_ms']:.1f}x the floor"
    )
    print(
        f"pages/s: {r['pages_per_s']:.1f} (hello {r['hello_pages_per_s']:.1f}):"
        f" {r['hello_pages_per_s'] / r['pages_per_s']:.1f}x slower than the floor"
    )
    print(f"saves/s: {r['saves_per_s']:.1f}; wall time {r['wall_s']:.1f} s")


def fresh_postgres(url: str) -> tuple[str, Any]:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from assessment.web.db import database_url

    url = database_url(url)
    name = f"crmm_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (crmm serve's)")
    parser.add_argument("--postgres", metavar="URL", help="also on this PostgreSQL server")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(
            measure("SQLite", str(Path(tmp) / "load.sqlite"), args.respondents, args.threads)
        )
    if args.postgres:
        url, drop = fresh_postgres(args.postgres)
        try:
            results.append(measure("PostgreSQL", url, args.respondents, args.threads))
        finally:
            drop()
    for r in results:
        report(r)
    if args.json:
        print(json.dumps(results, indent=2))
    bad = any(r["answers_wrong_missing_or_duplicated"] or r["errors"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
