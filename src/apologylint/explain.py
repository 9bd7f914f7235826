"""A rule's documentation text, from its metadata: one source for ``apologylint explain``,
the ``docs/rules/<slug>.md`` pages (``python -m apologylint.docgen``) and the SARIF rule
help.

Everything here is derived from the :class:`~apologylint.rules.base.Rule` class
attributes, never written by hand, so that the docs cannot drift from the code: the docs
test regenerates every page and lints every example.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules.base import Example, Option, Rule

LANGUAGE_NAMES = {"en": "English", "pl": "Polish"}
#: how each example format is named and fenced
_FORMATS = {
    "txt": ("a plain-text draft (.txt)", "text"),
    "eml": ("a message file (.eml)", "email"),
    "html": ("an HTML template (.html)", "html"),
}


def toml_value(value: object) -> str:
    """``value`` as written in a TOML config file (``None``: not set)."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks inside ``text``."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _example_block(example: Example) -> str:
    what, fence_lang = _FORMATS.get(example.format, (f"a .{example.format} file", "text"))
    head = f"{LANGUAGE_NAMES.get(example.lang, example.lang)}, as {what}"
    if example.options:
        head += ", with " + ", ".join(
            f"`{k} = {toml_value(v)}`" for k, v in example.options
        )
    if example.note:
        head += f" — {example.note}"
    body = example.draft.rstrip("\n")
    fence = _fence(body)
    return "\n".join([f"{head}:", "", f"{fence}{fence_lang}", body, fence])


def _config_key(option: Option) -> bool:
    """Whether an option is a key of the config file (else it is fixed in the rule)."""
    from .config import ALL_KEYS

    return option.key.split(".", 1)[0] in ALL_KEYS


def _options(rule: type[Rule]) -> list[str]:
    if not rule.options:
        return ["This rule has no options of its own."]
    out = ["| key | default | meaning |", "|---|---|---|"]
    for opt in rule.options:
        meaning = " ".join(opt.description.split())
        if not _config_key(opt):
            meaning += " (fixed in the rule: not a configuration key)"
        out.append(f"| `{opt.key}` | `{toml_value(opt.default)}` | {meaning} |")
    return out


def _configure(rule: type[Rule]) -> list[str]:
    from .model import Severity

    other = "warning" if rule.severity is Severity.ERROR else "error"
    lines = [
        "[tool.apologylint]",
        f'severity = {{ {rule.slug} = "{other}" }}  # "error", "warning" or "info"',
        f'# ignore = ["{rule.slug}"]  # or turn it off',
    ]
    for opt in rule.options:
        if opt.default is not None and _config_key(opt):
            lines.append(f"{opt.key} = {toml_value(opt.default)}")
    return ["```toml", *lines, "```"]


def _whole_text_note(rule: type[Rule]) -> list[str]:
    if not rule.needs_whole_text:
        return []
    return [
        "It judges the whole text: when part of a template's text is out of view (a "
        "translation key missing from the locale files, a partial outside the "
        "repository), it is reported as not checked rather than guessed "
        "([templates](../templates.md)).",
        "",
    ]


def describe_rule(rule: type[Rule]) -> str:
    """Markdown for one rule: what fires it, why, examples, options, how to configure."""
    module_file = "src/" + rule.__module__.replace(".", "/") + ".py"
    out = [
        f"# {rule.slug} ({rule.code})",
        "",
        f"**Family:** {rule.family} · **Default severity:** {rule.severity.label}"
        + (" · **Reads the language packs**" if rule.uses_language else ""),
        "",
        f"**What it catches:** {' '.join(rule.summary.split())}",
        "",
        *_whole_text_note(rule),
        "## Why",
        "",
        " ".join(rule.rationale.split()),
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
    out += ["## Options", "", *_options(rule), ""]
    out += ["## Configure", "", *_configure(rule), ""]
    if rule.vocabulary:
        out += [
            "## Language packs",
            "",
            f"Its words and phrases are data in `rules/<lang>/{rule.slug}.toml` "
            "(see [writing a language pack](../writing-a-language-pack.md)); vocabularies: "
            + ", ".join(f"`{v}`" for v in rule.vocabulary)
            + ".",
            "",
        ]
    out += [
        "---",
        "",
        f"_Generated from the rule's metadata in `{module_file}` by "
        f"`python -m apologylint.docgen`; `apologylint explain {rule.slug}` prints this "
        "page._",
    ]
    return "\n".join(out) + "\n"
