"""The words printed on exported forms, in both product languages.

Chinese labels are written with ASCII punctuation and set with `zh_typography` once, so that
full-width commas, colons and brackets survive editing; `\u3002` is the full stop.
"""

from __future__ import annotations

from frameworks.text import Lang, zh_typography

_EN: dict[str, str] = {
    "form": "answer form",
    "version": "version",
    "minutes": "about {n} minutes",
    "profile": "Organisation and respondent",
    "org_name": "Organisation name",
    "industry": "Industry",
    "size": "Size",
    "region": "Region",
    "date": "Assessment date (YYYY-MM-DD)",
    "respondent": "Respondent id (e.g. r1; empty means r1)",
    "role": "Role",
    "department": "Department",
    "instructions": "How to answer",
    "who": "Each respondent fills in their own copy of this form. The organisation fields are"
    " the same for everyone; the respondent id, role and department are your own.",
    "how": "Answer every question you can, from what your organisation actually does rather"
    " than what is written down. Leave a question empty if you cannot answer it.",
    "how_xlsx": "The questions are on the sheets after this one, one sheet per element. Fill in"
    " only the yellow cells: choose the answer in column {answer} from the drop-down list or"
    " type one of the values column {hint} lists.",
    "anchored": "Level descriptions: choose the description closest to your practice; 1 is"
    " the least developed, 5 the most.",
    "likert": "Statements: 1 strongly disagree, 2 disagree, 3 neither agree nor disagree,"
    " 4 agree, 5 strongly agree.",
    "ypn": "Yes / partly / no: 'partly' when the practice exists but is incomplete or not"
    " applied everywhere.",
    "kpi": "Figures: a number in the unit shown, within the range shown. Without records,"
    " estimate and say so in the comment.",
    "choice": "Single choice: one option. Multiple choice: every option that applies; in the"
    " spreadsheet write their numbers separated by commas, e.g. 1, 3.",
    "na": "Not applicable (N/A): only where it is offered, and only when the practice cannot"
    " exist in your organisation, not when you do not know or the answer is no. N/A answers"
    " are left out of the score; unanswered questions lower the coverage.",
    "comment": "Comment: why you chose the answer. Evidence: documents, records or systems"
    " that show it, separated by semicolons or on separate lines.",
    "protect": "The sheets are protected without a password so that the layout stays intact."
    " Do not rename, move or delete sheets, rows or columns: crmm reads the answers back"
    " from their cells.",
    "choice_paper": "Single choice: tick one option. Multiple choice: tick every option that"
    " applies.",
    "return": "Return the completed workbook to the person running the assessment, who reads"
    " it in with: crmm import FILE.xlsx --from workbook --questionnaire {qid} -o responses.yaml",
    "id": "No.",
    "question": "Question",
    "answer_hint": "How to answer",
    "answer": "Answer",
    "comment_col": "Comment",
    "evidence_col": "Evidence (separate with ;)",
    "type_anchored": "Choose the level (1-5) that fits best:",
    "type_likert": "How far do you agree? (1-5)",
    "type_yes_partly_no": "Yes, partly or no:",
    "type_kpi": "A number in {unit}",
    "type_single_choice": "Choose one:",
    "type_multiple_choice": "Choose all that apply (numbers separated by commas):",
    "type_multiple_choice_paper": "Choose all that apply:",
    "type_text": "Free text.",
    "range": "from {lo} to {hi}",
    "at_least": "at least {lo}",
    "at_most": "at most {hi}",
    "na_allowed": "N/A allowed",
    "for_roles": "Only for: {roles}",
    "help": "Help",
    "comment_line": "Comment",
    "evidence_line": "Evidence",
    "value_line": "Value",
    "sheet_note": "Fill in the yellow cells. Column {hint} explains each answer.",
    "invalid_title": "Not an allowed answer",
    "invalid": "Choose a value from the list (or leave the cell empty).",
    "invalid_kpi": "Type a number in the range shown in column {hint}.",
    "all_roles": "all",
}

_ZH: dict[str, str] = {
    "form": "答卷",
    "version": "版本",
    "minutes": "约 {n} 分钟",
    "profile": "组织与答卷人",
    "org_name": "组织名称",
    "industry": "行业",
    "size": "规模",
    "region": "地区",
    "date": "评估日期(YYYY-MM-DD)",
    "respondent": "答卷人编号(例如 r1;留空即 r1)",
    "role": "角色",
    "department": "部门",
    "instructions": "填写说明",
    "who": "每位答卷人各填一份\u3002组织信息对所有人相同;"
    "答卷人编号、角色和部门填写本人的信息\u3002",
    "how": "请尽量回答每道题,按组织的实际做法而不是书面规定作答\u3002无法回答的题目请留空\u3002",
    "how_xlsx": "题目在本表之后的工作表中,每个要素一张表\u3002只需填写黄色单元格:在 {answer} 列的"
    "下拉列表中选择答案,或者输入 {hint} 列列出的取值之一\u3002",
    "anchored": "等级描述题:选择最接近实际做法的描述;1 级最初级,5 级最成熟\u3002",
    "likert": "陈述题:1 完全不同意,2 不同意,3 一般,4 同意,5 完全同意\u3002",
    "ypn": "是/部分/否:做法存在但不完整或未全面执行时选\u201c部分\u201d\u3002",
    "kpi": "指标题:按所示单位和范围填写数字\u3002没有记录时请估算,并在说明中注明\u3002",
    "choice": "单选题:选一项\u3002多选题:选择所有符合的选项;在电子表格中填写选项编号,用逗号分隔,"
    "例如 1, 3\u3002",
    "na": "不适用(N/A):仅限提供该选项的题目,且仅在组织中不可能存在该做法时选择;不知道或答案是"
    "\u201c否\u201d时不要选\u3002不适用的题目不计入得分;未作答的题目会降低覆盖率\u3002",
    "comment": "说明:为什么选择这个答案\u3002"
    "证据:能证明答案的文件、记录或系统,用分号分隔或分行填写\u3002",
    "protect": "各工作表已设保护(无密码),以保持版面不变\u3002"
    "请不要重命名、移动或删除工作表、行或列:crmm 按单元格位置读回答案\u3002",
    "choice_paper": "单选题:勾选一项\u3002多选题:勾选所有符合的选项\u3002",
    "return": "填好后请交给评估负责人,由其导入:"
    "crmm import 文件.xlsx --from workbook --questionnaire {qid} -o responses.yaml",
    "id": "题号",
    "question": "题目",
    "answer_hint": "作答方式",
    "answer": "答案",
    "comment_col": "说明",
    "evidence_col": "证据(用 ; 分隔)",
    "type_anchored": "选择最符合的等级(1-5):",
    "type_likert": "您的同意程度(1-5):",
    "type_yes_partly_no": "是、部分或否:",
    "type_kpi": "填写数字,单位:{unit}",
    "type_single_choice": "单选:",
    "type_multiple_choice": "多选(填写选项编号,用逗号分隔):",
    "type_multiple_choice_paper": "多选,勾选所有符合的选项:",
    "type_text": "文字作答\u3002",
    "range": "范围 {lo} 至 {hi}",
    "at_least": "不小于 {lo}",
    "at_most": "不大于 {hi}",
    "na_allowed": "可选不适用",
    "for_roles": "仅限:{roles}",
    "help": "提示",
    "comment_line": "说明",
    "evidence_line": "证据",
    "value_line": "数值",
    "sheet_note": "请填写黄色单元格\u3002{hint} 列说明每道题的作答方式\u3002",
    "invalid_title": "不是允许的答案",
    "invalid": "请从下拉列表中选择(或留空)\u3002",
    "invalid_kpi": "请按 {hint} 列所示范围填写数字\u3002",
    "all_roles": "全部",
}

LABELS: dict[Lang, dict[str, str]] = {
    "en": _EN,
    "zh-CN": {k: zh_typography(v) for k, v in _ZH.items()},
}
assert set(_EN) == set(_ZH), set(_EN) ^ set(_ZH)


def label(lang: Lang, key: str, **values: object) -> str:
    """A form label in `lang`, its `{name}` placeholders filled in."""
    text = LABELS[lang][key]
    return text.format(**values) if values else text
