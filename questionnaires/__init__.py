"""How it is asked: the declarative questionnaire format, question types and loaders."""

from .loader import builtin_questionnaires, load_questionnaire
from .model import Question, Questionnaire

__all__ = ["Question", "Questionnaire", "builtin_questionnaires", "load_questionnaire"]
