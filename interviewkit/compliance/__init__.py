"""Fair-hiring guard: rule files, one per jurisdiction, then a semantic layer for paraphrases."""

from interviewkit.compliance.checker import (
    Checked,
    Finding,
    check_kit,
    check_question,
    check_texts,
    extract_questions,
    guard_notice,
    iter_parts,
    iter_questions,
    language,
    normalise,
    report_json,
    report_text,
)
from interviewkit.compliance.loader import (
    DEFAULT_RULES,
    RULES_DIR,
    Ground,
    Rule,
    RuleSet,
    available_rules,
    load_rules,
    search_dirs,
)
from interviewkit.config import RULES_ENV
from interviewkit.errors import RulesError

__all__ = [
    "DEFAULT_RULES", "RULES_DIR", "RULES_ENV", "Checked", "Finding", "Ground", "Rule",
    "RuleSet", "RulesError", "available_rules", "check_kit", "check_question", "check_texts",
    "extract_questions", "guard_notice", "iter_parts", "iter_questions", "language",
    "load_rules", "normalise", "report_json", "report_text", "search_dirs",
]
