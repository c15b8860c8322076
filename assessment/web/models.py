"""The web app's tables: consultants, their assessments, invitations, respondents and
answers, uploaded evidence, and what the app itself needs (settings, login attempts).

An assessment's answers are stored one row per (respondent, question): saving an answer again
replaces it, so an answer can be neither lost nor counted twice. The responses file the
command line reads is made from these rows (store.responses_text), never kept beside them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ID_LEN = 64  # crmm ids (frameworks.model.Id)
SHORT = 500  # names, departments, references (assessment.responses.ShortText)


def now() -> dt.datetime:
    """The time stored with rows: UTC, to the second, without a zone (portable)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Key/value settings the app keeps for itself (the session-signing key, the one-time
    setup token's hash)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    """A consultant or administrator who signs in with an e-mail address and a password."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class LoginAttempt(Base):
    """A failed sign-in, for rate limiting (by e-mail and by address)."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)


class Assessment(Base):
    """One assessment of one organisation: its profile, the pinned questionnaire and
    framework (ids, versions and hashes), and how its report is made."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organization: Mapped[str] = mapped_column(String(SHORT))
    industry: Mapped[str] = mapped_column(String(ID_LEN))
    size: Mapped[str] = mapped_column(String(ID_LEN))
    region: Mapped[str] = mapped_column(String(ID_LEN))
    date: Mapped[dt.date] = mapped_column(Date)
    assessor: Mapped[str | None] = mapped_column(String(SHORT), nullable=True)
    questionnaire_id: Mapped[str] = mapped_column(String(ID_LEN))
    questionnaire_version: Mapped[str] = mapped_column(String(ID_LEN))
    questionnaire_sha256: Mapped[str] = mapped_column(String(64))
    framework_id: Mapped[str] = mapped_column(String(ID_LEN))
    framework_version: Mapped[str] = mapped_column(String(ID_LEN))
    framework_sha256: Mapped[str] = mapped_column(String(64))
    target_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    languages: Mapped[str] = mapped_column(String(ID_LEN), default="zh-CN,en")
    benchmark: Mapped[str | None] = mapped_column(String(ID_LEN), nullable=True)
    brand_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True
    )
    show_own_answers: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)

    respondents: Mapped[list[Respondent]] = relationship(
        back_populates="assessment", order_by="Respondent.id", cascade="all, delete-orphan"
    )

    @property
    def langs(self) -> list[str]:
        return [x for x in self.languages.split(",") if x]


class Respondent(Base):
    """A person (or, for an open link, whoever opened it) answering an assessment."""

    __tablename__ = "respondents"
    __table_args__ = (UniqueConstraint("assessment_id", "rid"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    rid: Mapped[str] = mapped_column(String(ID_LEN))  # the id in the responses file
    role: Mapped[str] = mapped_column(String(ID_LEN))
    department: Mapped[str | None] = mapped_column(String(SHORT), nullable=True)
    name: Mapped[str | None] = mapped_column(String(SHORT), nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="link")  # link | open | import
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    page: Mapped[int] = mapped_column(Integer, default=1)  # where to resume
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)

    assessment: Mapped[Assessment] = relationship(back_populates="respondents")
    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="respondent", cascade="all, delete-orphan"
    )


class Invitation(Base):
    """A link: to one respondent (kind 'respondent'), or open to anyone in a role (kind
    'open', which makes a respondent with a link of their own on first use). Only the
    token's SHA-256 is stored; the token itself is shown once, to the consultant."""

    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(ID_LEN))
    respondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE"), nullable=True
    )
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class AnswerRow(Base):
    """One respondent's answer to one question: the value as JSON (as in a responses file),
    an optional comment and evidence references (a JSON list)."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(ID_LEN))
    value_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    evidence_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, onupdate=now)

    respondent: Mapped[Respondent] = relationship(back_populates="answers")


class EvidenceFile(Base):
    """An uploaded evidence file, stored once under its content hash, in the database (so
    that a backup holds it) and never under the web root."""

    __tablename__ = "evidence_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class EvidenceUpload(Base):
    """Which respondent uploaded which file for which question, and its name as given:
    the file is served only to the consultant owning the assessment."""

    __tablename__ = "evidence_uploads"
    __table_args__ = (UniqueConstraint("respondent_id", "question_id", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(ID_LEN))
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_files.sha256"))
    filename: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
