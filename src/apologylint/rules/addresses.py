"""Address facts shared by the sender rules (no-reply detection, domains)."""

from __future__ import annotations

from collections.abc import Iterable

from ..matching import fold
from ..model import Address
from ..packs import Pack

_SEPARATORS = str.maketrans("", "", "-_.+ '\"")


def squash(text: str) -> str:
    """Fold and drop separators: "Do_Not.Reply" and "do-not-reply" both give "donotreply"."""
    return fold(text).translate(_SEPARATORS)


def no_reply_forms(packs: Iterable[Pack]) -> frozenset[str]:
    """Squashed no-reply forms of every loaded pack: a Polish shop may send from noreply@."""
    forms: set[str] = set()
    for pack in packs:
        forms.update(squash(w) for w in pack.words("no-reply-sender.local_parts"))
    return frozenset(f for f in forms if f)


def is_no_reply(address: Address, forms: frozenset[str]) -> bool:
    """True if the local part or the display name is a no-reply form."""
    local = address.address.rpartition("@")[0] or address.address
    candidates = (squash(local), squash(address.display_name))
    return any(form in cand for cand in candidates if cand for form in forms)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(">").lower()
