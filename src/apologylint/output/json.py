"""``--format json``: one JSON array of findings and input errors, sorted.

Each element has exactly the keys of :meth:`Diagnostic.to_dict` (``path``, ``rule``,
``code``, ``severity``, ``message``, ``line``, ``column``, ``end_line``, ``end_column``,
``suggestion``); an input that could not be read is ``{"rule": "input-error", ...}``.
"""

from __future__ import annotations

import json

from ..model import Report
from . import OutputOptions, entries


def render(report: Report, options: OutputOptions) -> str:
    return json.dumps(entries(report), indent=2, ensure_ascii=options.ascii_only) + "\n"
