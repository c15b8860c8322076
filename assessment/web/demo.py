"""The demo company in the web app (`crmm serve --demo`, the README's screenshots): the
fictitious retailer of `crmm demo`, its five respondents' answers saved as if they had
answered through their links, owned by one consultant."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from frameworks.langs import Lang

from ..demo import BENCHMARK, DATE, QUESTIONNAIRE, demo_responses
from . import invitations, store
from .models import Assessment, User, now


def seed_demo(session: Session, owner: User, lang: Lang = "zh-CN") -> Assessment:
    """A new assessment of the demo company for `owner`, with every demo answer (committed);
    the organisation's name and the respondents' texts in `lang`."""
    q, fw = store.pinned_builtin(QUESTIONNAIRE)
    data: dict[str, Any] = demo_responses(q, fw, lang)
    org = data["organization"]
    a = Assessment(
        owner_id=owner.id,
        organization=org["name"],
        industry=org["industry"],
        size=org["size"],
        region=org["region"],
        date=DATE,
        assessor="Demo Consulting" if lang == "en" else "示例咨询",
        target_level=3,
        languages="zh-CN,en",
        benchmark=BENCHMARK,
        **store.pin(QUESTIONNAIRE),
    )
    session.add(a)
    session.flush()
    questions = q.question_by_id
    for person in data["respondents"]:
        resp = invitations.add_respondent(
            session, a, person["id"], person["role"], person.get("department")
        )
        invitations.invite(session, a, "respondent", person["role"], resp)
        session.commit()
        for qid, answer in person["answers"].items():
            if isinstance(answer, dict):
                value, comment, evidence = (
                    answer.get("value"),
                    answer.get("comment"),
                    answer.get("evidence"),
                )
            else:
                value, comment, evidence = answer, None, None
            store.save_answer(session, resp, questions[qid], value, comment, evidence)
        resp.submitted_at = now()
        resp.page = len(store.questions_for(q, fw, resp.role)) + 1
        session.commit()
    return a
