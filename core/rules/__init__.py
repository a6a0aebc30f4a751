"""The rule catalogue and the checker (see ``docs/rules.md``)."""

from __future__ import annotations

from core.model import Report
from core.problems import Problem
from core.rules.catalogue import RULES, Rule
from core.rules.engine import Checker
from core.templates import Template


def check_report(report: Report, template: Template) -> list[Problem]:
    """Return every problem of a report laid out by ``template`` (resolved once by the caller that
    opened or built it), errors first."""
    return Checker(report, template).problems


__all__ = ["RULES", "Checker", "Rule", "check_report"]
