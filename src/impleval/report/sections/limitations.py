"""(scaffold: being written)"""

from __future__ import annotations

from impleval.report.context import ReportContext


def build(ctx: ReportContext) -> str:
    return ""
