"""The rule catalogue and the checker (see ``docs/rules.md``)."""

from __future__ import annotations

from core.model import Report
from core.problems import Problem
from core.rules.catalogue import RULES, Rule
from core.rules.engine import Checker


def check_report(report: Report) -> list[Problem]:
    """Return every problem of a report, errors first."""
    return Checker(report).problems


__all__ = ["RULES", "Checker", "Rule", "check_report"]
