"""Incident inference for ``--incident auto``: is this draft about a security incident?

The words live in the pack (``common.toml``, vocabulary ``security_incident``); a draft
that speaks of unauthorised access, leaked or exposed personal data or compromised
accounts is a ``breach``. Anything else stays ``other``: rules that depend on a more
specific kind are told it explicitly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context

SECURITY_VOCABULARY = "common.security_incident"


def infer_incident(ctx: Context) -> str:
    if ctx.body.has(SECURITY_VOCABULARY) or ctx.subject.has(SECURITY_VOCABULARY):
        return "breach"
    return "other"
