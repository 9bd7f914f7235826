"""A rule's documentation text, from its metadata: one source for ``explain``, the
``docs/rules/<slug>.md`` pages and the SARIF rule help."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules.base import Example, Rule

LANGUAGE_NAMES = {"en": "English", "pl": "Polish"}


def _example_block(example: Example) -> str:
    lines = []
    head = LANGUAGE_NAMES.get(example.lang, example.lang)
    if example.note:
        head += f" — {example.note}"
    if example.options:
        head += " (" + ", ".join(f"{k} = {v}" for k, v in example.options) + ")"
    lines.append(f"{head}:")
    lines.append("")
    lines.append("```text")
    lines.append(example.draft.rstrip("\n"))
    lines.append("```")
    return "\n".join(lines)


def describe_rule(rule: type[Rule]) -> str:
    """Markdown for one rule: title, what fires it, why, examples, options."""
    out = [
        f"# {rule.slug} ({rule.code})",
        "",
        f"**Family:** {rule.family} · **Default severity:** {rule.severity.label}",
        "",
        f"**What it catches:** {rule.summary}",
        "",
        "## Why",
        "",
        rule.rationale.strip(),
        "",
    ]
    if rule.fail_examples:
        out += ["## Fails", ""]
        for ex in rule.fail_examples:
            out += [_example_block(ex), ""]
    if rule.pass_examples:
        out += ["## Passes", ""]
        for ex in rule.pass_examples:
            out += [_example_block(ex), ""]
    out += ["## Options", ""]
    if rule.options:
        for opt in rule.options:
            out.append(f"- `{opt.key}` (default `{opt.default!r}`): {opt.description}")
    else:
        out.append("None beyond `select`, `ignore` and `severity`.")
    out.append("")
    if rule.vocabulary:
        out += [
            "## Language packs",
            "",
            "Words and phrases come from `rules/<lang>/`, vocabularies: "
            + ", ".join(f"`{v}`" for v in rule.vocabulary)
            + ".",
            "",
        ]
    return "\n".join(out)
