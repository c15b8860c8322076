"""Answer importers: survey-platform exports and crmm workbooks into responses-file data.

`IMPORTERS` maps each `crmm import --from` name to its importer (see `base.Importer`).
Importer modules import nothing heavy at module level: the CLI loads this at startup.
"""

from __future__ import annotations

from .base import ImportedAnswers, Importer, ImportOptions
from .platforms import (
    import_csv,
    import_limesurvey,
    import_msforms,
    import_qualtrics,
    import_surveymonkey,
    import_wjx,
)
from .workbook import import_workbook

IMPORTERS: dict[str, Importer] = {
    "wjx": import_wjx,
    "limesurvey": import_limesurvey,
    "qualtrics": import_qualtrics,
    "msforms": import_msforms,
    "surveymonkey": import_surveymonkey,
    "csv": import_csv,
    "workbook": import_workbook,  # a filled `crmm questionnaire export --format xlsx`
}

__all__ = ["IMPORTERS", "ImportOptions", "ImportedAnswers", "Importer"]
