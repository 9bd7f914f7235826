"""Subject helpers that several 2xx rules share (AL201 suggests a subject, AL202 and AL205
read it with template tags blanked): one module that the rules read, so that no rule
imports another."""

from __future__ import annotations

from ..context import Context
from ..model import TEMPLATE_MARK

#: The pack table of subjects that say what happened (for suggestions).
EXAMPLES = "vague-subject.examples"
_FALLBACK_EXAMPLE = "We charged you twice for April"


def mask_templates(text: str) -> str:
    """``text`` with every template tag (and TEMPLATE_MARK) blanked out, same length.

    A subject such as ``Sorry, {{first_name}}: ...`` keeps its offsets, so findings
    still point at the right column, and no rule reads a tag's name as a word.
    """
    from ..loaders.templating import find_template_tags

    chars = list(text.replace(TEMPLATE_MARK, " "))
    for tag in find_template_tags(text, angle=True, html=False):
        for i in range(tag.start, min(tag.end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def subject_example(ctx: Context) -> str:
    """A subject that says what happened, in the draft's language, for suggestions."""
    if ctx.pack is not None:
        examples = ctx.pack.words(EXAMPLES)
        if examples:
            return examples[0]
    return _FALLBACK_EXAMPLE
