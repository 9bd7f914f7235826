"""Inline suppression: comment forms per input type, line ranges, and AL001."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apologylint import lint
from apologylint.config import settings_from_mapping
from apologylint.loaders import load_bytes
from apologylint.suppression import find_directives

JOKE_HTML = """\
<html><head><title>Sorry: we charged you twice</title></head><body>
<p>Whoops, we're sorry: we charged you twice for March.</p>
{comment}
<p>Lol, the refund is on its way.</p>
<p>Our bad. Reply if anything looks wrong.</p>
</body></html>
"""


def _run(tmp_path: Path, name: str, text: str, **config: Any) -> list[tuple[str, int]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    mapping: dict[str, Any] = {"select": ["jokey-tone", "unused-suppression"], "language": "en"}
    mapping.update(config)
    report = lint(path, config=settings_from_mapping(mapping, origin="t"))
    assert not report.errors
    return [(d.rule, d.line) for d in report.diagnostics]


def test_without_comments_every_joke_is_reported(tmp_path: Path) -> None:
    found = _run(tmp_path, "a.html", JOKE_HTML.format(comment=""))
    assert [line for _rule, line in found] == [2, 4, 5]


@pytest.mark.parametrize(
    ("comment", "left"),
    [
        ("<!-- apologylint: disable-next-line=jokey-tone -->", [2, 5]),
        ("<!-- apologylint: disable-next-line=AL401 -->", [2, 5]),
        ("<!-- apologylint: disable-next-line=AL4 -->", [2, 5]),
        ("<!-- apologylint: disable-next-line=tone -->", [2, 5]),
        ("<!-- apologylint: disable-next-line -->", [2, 5]),
        ("<!-- apologylint: disable=jokey-tone -->", [2]),
        ("<!-- apologylint: disable=all -->", [2]),
        ("<!-- apologylint: disable-file=jokey-tone -->", []),
        ("{# apologylint: disable-next-line=jokey-tone #}", [2, 5]),
        ("{% comment %}apologylint: disable-next-line=jokey-tone{% endcomment %}", [2, 5]),
        ("{% comment %}\n apologylint: disable=jokey-tone\n{% endcomment %}", [2]),
        ("{% # apologylint: disable-next-line=jokey-tone %}", [2, 5]),
        ("{{!-- apologylint: disable-next-line=jokey-tone --}}", [2, 5]),
        ("{{! apologylint: disable-next-line=jokey-tone }}", [2, 5]),
        ("%%[ /* apologylint: disable-next-line=jokey-tone */ ]%%", [2, 5]),
        ("<p>Note to self, apologylint: disable=jokey-tone</p>", [2, 4, 5]),
    ],
)
def test_comment_forms(tmp_path: Path, comment: str, left: list[int]) -> None:
    found = _run(tmp_path, "a.html", JOKE_HTML.format(comment=comment))
    assert [line for rule, line in found if rule == "jokey-tone"] == left
    assert not [f for f in found if f[0] == "unused-suppression"]


def test_disable_enable_range(tmp_path: Path) -> None:
    text = JOKE_HTML.format(comment="<!-- apologylint: disable=jokey-tone -->").replace(
        "<p>Our bad.", "<!-- apologylint: enable=jokey-tone -->\n<p>Our bad."
    )
    assert _run(tmp_path, "a.html", text) == [("jokey-tone", 2), ("jokey-tone", 6)]


def test_disable_line(tmp_path: Path) -> None:
    text = JOKE_HTML.replace(
        "<p>Lol, the refund", "<p>Lol<!-- apologylint: disable-line=jokey-tone -->, the refund"
    ).format(comment="")
    assert [line for _r, line in _run(tmp_path, "a.html", text)] == [2, 5]


def test_text_and_markdown_drafts(tmp_path: Path) -> None:
    draft = (
        "Subject: Sorry: we charged you twice\nFrom: Maya <maya@acme.com>\n\n"
        "{# apologylint: disable-next-line=jokey-tone #}\nWhoops, we're sorry.\n\nLol.\n"
    )
    assert _run(tmp_path, "a.txt", draft) == [("jokey-tone", 7)]
    md = draft.replace("{# apologylint: disable-next-line=jokey-tone #}",
                       "<!-- apologylint: disable-next-line=jokey-tone -->")
    assert _run(tmp_path, "a.md", md) == [("jokey-tone", 7)]


def test_quoted_printable_html_part(tmp_path: Path) -> None:
    eml = (
        "From: Maya <maya@acme.com>\nSubject: Sorry: we charged you twice\n"
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        "<!-- apologylint: disable-next-line=3Djokey-tone -->\n"
        "<p>Whoops, we're sorry: we charged you twice.</p>\n<p>Lol.</p>\n"
    )
    assert _run(tmp_path, "a.eml", eml) == [("jokey-tone", 8)]


def test_findings_above_the_comment_need_disable_file(tmp_path: Path) -> None:
    html = "<html><body>\n<p>The refund for March is on its way.</p>\n{c}\n</body></html>\n"
    select = ["missing-apology", "unused-suppression"]
    found = _run(tmp_path, "a.html", html.format(c=""), select=select)
    assert found == [("missing-apology", 2)]
    found = _run(tmp_path, "a.html",
                 html.format(c="<!-- apologylint: disable=missing-apology -->"), select=select)
    assert [r for r, _l in found] == ["missing-apology", "unused-suppression"]
    found = _run(tmp_path, "a.html",
                 html.format(c="<!-- apologylint: disable-file=missing-apology -->"),
                 select=select)
    assert found == []


def test_unused_and_unknown(tmp_path: Path) -> None:
    text = JOKE_HTML.format(
        comment="<!-- apologylint: disable-next-line=jokey-tone,exclamation-overuse,jokey-tonne -->"
    )
    path = tmp_path / "a.html"
    path.write_text(text, encoding="utf-8")
    config = settings_from_mapping(
        {"select": ["jokey-tone", "exclamation-overuse", "unused-suppression"],
         "language": "en", "severity": {"unused-suppression": "error"}},
        origin="t",
    )
    report = lint(path, config=config)
    unused = [d for d in report.diagnostics if d.rule == "unused-suppression"]
    assert [(d.line, d.column, d.severity.label) for d in unused] == [
        (3, 6, "error"), (3, 6, "error"),
    ]
    assert "'exclamation-overuse'" in unused[0].message or "'exclamation-overuse'" in (
        unused[1].message
    )
    assert any("'jokey-tonne' names no rule" in d.message for d in unused)


def test_unused_needs_the_rule_to_have_run(tmp_path: Path) -> None:
    text = JOKE_HTML.format(comment="<!-- apologylint: disable=exclamation-overuse -->")
    assert _run(tmp_path, "a.html", text) == [
        ("jokey-tone", 2), ("jokey-tone", 4), ("jokey-tone", 5)
    ]


def test_unused_suppression_can_be_ignored_or_silenced(tmp_path: Path) -> None:
    text = JOKE_HTML.format(comment="<!-- apologylint: disable=AL203 -->").replace(
        "<body>", "<body><!-- apologylint: disable-file=unused-suppression -->"
    )
    found = _run(tmp_path, "a.html", text, select=["jokey-tone", "jokey-subject",
                                                   "unused-suppression"])
    assert [r for r, _l in found] == ["jokey-tone"] * 3
    text = JOKE_HTML.format(comment="<!-- apologylint: disable=jokey-tone -->")
    found = _run(tmp_path, "a.html", text + "<!-- apologylint: enable -->\n",
                 ignore=["AL001"])
    assert found == [("jokey-tone", 2)]


def test_directives_are_found_with_their_lines() -> None:
    html = b"<p>x</p>\n<!-- apologylint: disable=a,b c -->\n<!--\n apologylint: enable\n-->\n"
    [draft] = load_bytes(html, "a.html")
    found = [(d.kind, d.names, d.line, d.end_line) for d in find_directives(draft)]
    assert found == [("disable", ("a", "b", "c"), 2, 2), ("enable", (), 4, 4)]
