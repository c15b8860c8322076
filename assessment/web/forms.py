"""The consultant's assessment form: the organisation profile, the report's options and the
brand, read from a posted form and checked by the same pydantic models as the files
(a responses file's head, a brand file), with each problem put next to its field."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from frameworks.benchmark import builtin_benchmarks
from frameworks.vocabulary import DIMENSIONS, vocabulary
from questionnaires.loader import builtin_questionnaires

from ..responses import ResponsesHead
from .i18n import t
from .models import SHORT

LANGUAGE_CHOICES = ("zh-CN,en", "zh-CN", "en")
LEVELS = (2, 3, 4, 5)
BRAND_TEXT = 200  # reports.brand.MAX_TEXT
COLOR_LEN = 7  # #rrggbb
MAX_LOGO = 1024 * 1024  # reports.brand.MAX_LOGO_BYTES
LIMITS = {
    "organization": SHORT,
    "assessor": SHORT,
    "date": 10,
    "brand_name": BRAND_TEXT,
    "brand_footer": BRAND_TEXT,
    "brand_confidentiality": BRAND_TEXT,
    "brand_primary": COLOR_LEN,
    "brand_accent": COLOR_LEN,
}
# where a model's error lands on the form
_FIELD_OF = {
    "organization.name": "organization",
    "organization.industry": "industry",
    "organization.size": "size",
    "organization.region": "region",
    "date": "date",
    "assessor": "assessor",
    "name": "brand_name",
    "footer": "brand_footer",
    "confidentiality": "brand_confidentiality",
    "colors.primary": "brand_primary",
    "colors.accent": "brand_accent",
}


@dataclass
class Profile:
    """The checked form: the Assessment columns to set, and the problems by field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def benchmark_choices() -> list[str]:
    """The built-in benchmark ids of the built-in questionnaires' frameworks."""
    from questionnaires.loader import load_questionnaire

    ids: set[str] = set()
    for qid in builtin_questionnaires():
        ids.update(builtin_benchmarks(load_questionnaire(qid)[1].id))
    return sorted(ids)


def read_profile(
    form: Any,
    files: Any,
    *,
    questionnaire: tuple[str, str, str] | None,
    previous_choices: set[int],
    old_brand: str | None = None,
) -> Profile:
    """The assessment form checked. `questionnaire` is (id, version, framework id) of the
    assessment being edited; None on creation, when the form chooses it."""
    out = Profile()
    text = {k: str(form.get(k, "")).strip() for k in (*LIMITS, "questionnaire")}
    for name, limit in LIMITS.items():
        if len(text[name]) > limit:
            out.errors[name] = t("c_err_length", n=limit)
    if questionnaire is None:
        qid = text["questionnaire"]
        if qid not in builtin_questionnaires():
            out.errors["questionnaire"] = t("c_err_choose")
            return out
        from .store import pin

        pinned = pin(qid)
        out.values.update(pinned)
        questionnaire = (qid, pinned["questionnaire_version"], pinned["framework_id"])
    qid, version, framework_id = questionnaire
    profile: dict[str, str] = {d: str(form.get(d, "")) for d in DIMENSIONS}
    try:
        date = dt.date.fromisoformat(text["date"])
    except ValueError:
        out.errors.setdefault("date", t("c_err_date"))
        date = dt.date.today()
    head: dict[str, Any] = {
        "questionnaire": {"id": qid, "version": version},
        "organization": {"name": text["organization"], **profile},
        "date": date,
    }
    if text["assessor"]:
        head["assessor"] = text["assessor"]
    _check(ResponsesHead, head, out)
    for p in vocabulary().problems(profile, "form", "organization."):
        out.errors.setdefault(_FIELD_OF.get(p.path, p.path), p.message)
    out.values.update(
        organization=text["organization"],
        date=date,
        assessor=text["assessor"] or None,
        **profile,
    )
    level = str(form.get("target_level", ""))
    if level and level not in {str(x) for x in LEVELS}:
        out.errors["target_level"] = t("c_err_level")
    out.values["target_level"] = int(level) if level in {str(x) for x in LEVELS} else None
    langs = str(form.get("languages", ""))
    if langs not in LANGUAGE_CHOICES:
        out.errors["languages"] = t("c_err_choose")
    out.values["languages"] = langs
    bench = str(form.get("benchmark", ""))
    if bench and bench not in builtin_benchmarks(framework_id):
        out.errors["benchmark"] = t("c_err_choose")
    out.values["benchmark"] = bench or None
    prev = str(form.get("previous_id", ""))
    if prev and (not prev.isdigit() or int(prev) not in previous_choices):
        out.errors["previous_id"] = t("c_err_choose")
    chosen = int(prev) if prev.isdigit() else None
    out.values["previous_id"] = chosen if chosen in previous_choices else None
    out.values["show_own_answers"] = form.get("show_own_answers") == "1"
    out.values["brand_json"] = _brand(text, form, files, old_brand, out)
    return out


def _brand(
    text: dict[str, str], form: Any, files: Any, old: str | None, out: Profile
) -> str | None:
    """The brand as stored (Assessment.brand_json): the brand file's fields, and the logo's
    suffix and base64 bytes, checked as `crmm report --brand` checks them."""
    from reports.brand import Brand

    data: dict[str, Any] = {}
    for key in ("name", "footer", "confidentiality"):
        if text[f"brand_{key}"]:
            data[key] = text[f"brand_{key}"]
    colors = {k: text[f"brand_{k}"] for k in ("primary", "accent") if text[f"brand_{k}"]}
    if colors:
        data["colors"] = colors
    kept = json.loads(old) if old else {}
    logo = kept.get("logo") if form.get("brand_logo_remove") != "1" else None
    upload = files.get("brand_logo") if files is not None else None
    if upload is not None and upload.filename:
        raw = upload.stream.read(MAX_LOGO + 1)
        suffix = "." + upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
        import base64

        logo = {"suffix": suffix, "data": base64.b64encode(raw).decode("ascii")}
    brand = _check(Brand, data, out)
    if logo is not None and brand is not None:
        try:
            brand_from({**data, "logo": logo})
        except ValueError as exc:
            out.errors["brand_logo"] = str(exc)
            logo = None
    if logo is not None:
        data["logo"] = logo
    return json.dumps(data, ensure_ascii=False, sort_keys=True) if data else None


def brand_from(stored: dict[str, Any] | str | None) -> Any:
    """The reports.brand.Brand of a stored brand (None without one); ValueError for a logo
    reports.brand refuses."""
    import base64

    from reports.brand import Brand, with_logo

    if not stored:
        return None
    data = json.loads(stored) if isinstance(stored, str) else dict(stored)
    logo = data.pop("logo", None)
    brand = Brand.model_validate(data)
    if logo is None:
        return brand
    return with_logo(brand, base64.b64decode(logo["data"]), logo["suffix"])


def _check(model: Any, data: dict[str, Any], out: Profile) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"] if not str(x).startswith("function-"))
            name = _FIELD_OF.get(loc) or _FIELD_OF.get(loc.rsplit(".", 1)[0], loc)
            out.errors.setdefault(name, err["msg"])
        return None


def form_of(a: Any) -> dict[str, str]:
    """An assessment's values as the form shows them."""
    brand = json.loads(a.brand_json) if a.brand_json else {}
    colors = brand.get("colors", {})
    return {
        "organization": a.organization,
        "industry": a.industry,
        "size": a.size,
        "region": a.region,
        "date": a.date.isoformat(),
        "assessor": a.assessor or "",
        "target_level": str(a.target_level or ""),
        "languages": a.languages,
        "benchmark": a.benchmark or "",
        "previous_id": str(a.previous_id or ""),
        "show_own_answers": "1" if a.show_own_answers else "",
        "brand_name": _plain(brand.get("name")),
        "brand_footer": _plain(brand.get("footer")),
        "brand_confidentiality": _plain(brand.get("confidentiality")),
        "brand_primary": colors.get("primary", ""),
        "brand_accent": colors.get("accent", ""),
        "has_logo": "1" if brand.get("logo") else "",
        "questionnaire": a.questionnaire_id,
    }


def _plain(v: Any) -> str:
    if isinstance(v, dict):
        return str(v.get("en") or v.get("zh-CN") or "")
    return str(v or "")
