"""apologylint: lint apology and incident-notification emails before they are sent.

>>> import apologylint
>>> report = apologylint.lint("draft.eml")          # doctest: +SKIP
>>> [d.rule for d in report.diagnostics]             # doctest: +SKIP
"""

from __future__ import annotations

from .api import lint
from .model import Address, Diagnostic, Draft, InputError, Position, Report, Severity
from .settings import Brand, Settings

__version__ = "0.1.0"

__all__ = [
    "Address",
    "Brand",
    "Diagnostic",
    "Draft",
    "InputError",
    "Position",
    "Report",
    "Settings",
    "Severity",
    "__version__",
    "lint",
]
