"""The questionnaire as a printable HTML form: one self-contained file, tick boxes and lines.

The same document, laid out by WeasyPrint with the report fonts (reports/form_pdf.py), is the
PDF form. Every text is escaped; the page loads nothing from outside.
"""

from __future__ import annotations

from html import escape

from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.model import Questionnaire
from questionnaires.types import NA

from .form import FormQuestion, Section, na_choice, paper_instructions, sections
from .labels import label

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: string(form-id); font-size: 8pt; color: #666; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #666; } }
html { font-family: "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
  sans-serif; font-size: 10pt; line-height: 1.45; color: #1a1a1a; }
body { max-width: 190mm; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 2pt; color: #1f4e79; }
h2 { font-size: 13pt; color: #1f4e79; border-bottom: 1.5pt solid #1f4e79; margin: 16pt 0 6pt;
  padding-bottom: 2pt; break-after: avoid; }
.sub { color: #555; margin: 0 0 8pt; string-set: form-id content(); }
.desc { margin: 0 0 6pt; }
table.fields { width: 100%; border-collapse: collapse; }
table.fields th { text-align: left; font-weight: normal; width: 38%; padding: 7pt 6pt 1pt 0;
  vertical-align: bottom; }
table.fields td { border-bottom: 0.6pt solid #444; padding: 7pt 0 1pt; }
table.fields td.roles { border-bottom: none; }
ol.instructions { padding-left: 16pt; margin: 0; }
ol.instructions li { margin: 0 0 3pt; }
.q { break-inside: avoid; border-top: 0.5pt solid #bbb; padding: 6pt 0 4pt; }
.qtext { margin: 0; font-weight: bold; padding-left: 60pt; text-indent: -60pt; }
.qid { display: inline-block; min-width: 60pt; color: #1f4e79; font-weight: bold;
  text-indent: 0; }
.help { margin: 1pt 0 0 60pt; color: #555; font-size: 9pt; }
.hint { margin: 3pt 0 1pt 60pt; font-size: 9pt; color: #1f4e79; }
.roles-note { margin: 1pt 0 0 60pt; font-size: 8.5pt; color: #7f6000; }
ul.choices { list-style: none; margin: 2pt 0 0 60pt; padding: 0; }
ul.choices li { margin: 0 0 2pt; padding-left: 30pt; text-indent: -30pt; }
ul.choices.inline li { display: inline-block; margin-right: 18pt; padding-left: 0;
  text-indent: 0; }
.box { display: inline-block; width: 8.5pt; height: 8.5pt; border: 0.9pt solid #222;
  vertical-align: -1pt; margin-right: 4pt; text-indent: 0; }
.key { display: inline-block; min-width: 14pt; font-weight: bold; text-indent: 0; }
.line { display: flex; margin: 5pt 0 0 60pt; font-size: 9pt; color: #444; }
.line .lab { white-space: nowrap; margin-right: 4pt; }
.line .rule { flex: 1; border-bottom: 0.6pt solid #777; }
.line.value .rule { flex: none; width: 80pt; }
.line.value .unit { margin-left: 4pt; }
.rule { display: inline-block; min-width: 60%; border-bottom: 0.6pt solid #777; }
@media screen { body { padding: 20px; } }
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _colon(lang: Lang) -> str:
    return "\uff1a" if lang == "zh-CN" else ":"


def _line(text: str, lang: Lang) -> str:
    lab = f'<span class="lab">{_e(text)}{_colon(lang)}</span>' if text else ""
    return f'<div class="line">{lab}<span class="rule">\u00a0</span></div>'


def _choices(fq: FormQuestion, lang: Lang) -> list[str]:
    q = fq.question
    items = [] if q.type == "kpi" else list(fq.choices)
    items += [na_choice(lang)] if fq.allow_na else []
    inline = q.type in ("likert", "yes_partly_no", "kpi")
    out = [f'<ul class="choices{" inline" if inline else ""}">']
    for c in items:
        plain = q.type == "yes_partly_no" or c.value == NA
        key = "" if plain else f'<span class="key">{_e(c.key)}</span>'
        out.append(f'<li><span class="box"></span>{key}{_e(c.text)}</li>')
    out.append("</ul>")
    return out


def _question(fq: FormQuestion, lang: Lang) -> list[str]:
    q = fq.question
    out = [
        '<div class="q">',
        f'<p class="qtext"><span class="qid">{_e(q.id)}</span>{_e(q.text.get(lang))}</p>',
    ]
    if q.help is not None:
        out.append(f'<p class="help">{_e(q.help.get(lang))}</p>')
    if fq.roles:
        out.append(f'<p class="roles-note">{_e(fq.roles)}</p>')
    out.append(f'<p class="hint">{_e(fq.hint)}</p>')
    if q.type == "kpi":
        assert q.kpi is not None
        out.append(
            f'<div class="line value"><span class="lab">{_e(label(lang, "value_line"))}'
            f"{_colon(lang)}</span>"
            f'<span class="rule">\u00a0</span><span class="unit">{_e(q.kpi.unit.get(lang))}</span>'
            "</div>"
        )
        if fq.allow_na:
            out += _choices(fq, lang)
    elif q.type == "text":
        out += [_line(label(lang, "answer"), lang), _line("", lang), _line("", lang)]
    else:
        out += _choices(fq, lang)
    out += [
        _line(label(lang, "comment_line"), lang),
        _line(label(lang, "evidence_line"), lang),
        "</div>",
    ]
    return out


def _profile(q: Questionnaire, lang: Lang) -> list[str]:
    out = [f"<h2>{_e(label(lang, 'profile'))}</h2>", '<table class="fields">']
    for key in ("org_name", "industry", "size", "region", "date", "respondent", "department"):
        out.append(f"<tr><th>{_e(label(lang, key))}</th><td>\u00a0</td></tr>")
    roles = " ".join(f'<span class="box"></span>{_e(r.name.get(lang))}\u2003' for r in q.roles)
    out.append(f'<tr><th>{_e(label(lang, "role"))}</th><td class="roles">{roles}</td></tr>')
    out.append("</table>")
    return out


def _instructions(sections_: list[Section], lang: Lang) -> list[str]:
    items = "".join(f"<li>{_e(label(lang, k))}</li>" for k in paper_instructions(sections_))
    return [f"<h2>{_e(label(lang, 'instructions'))}</h2>", f'<ol class="instructions">{items}</ol>']


def questionnaire_html(q: Questionnaire, fw: Framework, lang: Lang, role: str | None = None) -> str:
    """A printable, self-contained HTML answer form (questions for `role`, or all)."""
    secs = sections(q, fw, lang, role, paper=True)
    title = f"{q.name.get(lang)} \u2014 {label(lang, 'form')}"
    sub = f"{q.id} {label(lang, 'version')} {q.version} \u00b7 " + label(
        lang, "minutes", n=q.estimated_minutes
    )
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(title)}</title>",
        '<meta name="generator" content="crmm">',
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">{_e(sub)}</p>',
        f'<p class="desc">{_e(q.description.get(lang))}</p>',
        *_profile(q, lang),
        *_instructions(secs, lang),
    ]
    for n, section in enumerate(secs, start=1):
        out.append(f'<section class="element"><h2>{n}\u2002{_e(section.title)}</h2>')
        for fq in section.questions:
            out += _question(fq, lang)
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
