"""The HTML element index (``Draft.html_doc``): what the rules read instead of a bs4 tree.

The index is built in the same html.parser pass as the prose and follows the tree rules
of Beautiful Soup's ``html.parser`` builder, which the rules used to read; the
differential tests below hold it to bs4's answers.
"""

from __future__ import annotations

import subprocess
import sys
from array import array
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apologylint.loaders.html import HtmlDoc, element_span, extract_html, load_html_text
from apologylint.model import Draft
from apologylint.prose import ProseBuilder

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _doc(html: str) -> HtmlDoc:
    return extract_html(html)[0]


def _names(doc: HtmlDoc) -> list[str]:
    return [el.name for el in doc.elements]


def _line_col(draft: Draft, needle: str, nth: int = 0) -> tuple[int, int]:
    el = draft.html_doc.find_all(needle)[nth] if draft.html_doc else None
    assert el is not None
    span = element_span(draft, el)
    assert span is not None
    return draft.source.line_col(span.start)


# -- elements and attributes ----------------------------------------------------------------


def test_elements_in_document_order_with_attributes() -> None:
    doc = _doc('<html lang="en"><body><p id=a class="  x  y ">One <a href="/u" hidden>two</a>'
               "</p><img src=logo.png alt=''></body></html>")
    assert _names(doc) == ["html", "body", "p", "a", "img"]
    assert [el.order for el in doc.elements] == [0, 1, 2, 3, 4]
    p, a, img = doc.find("p"), doc.find("a"), doc.find("img")
    assert p is not None and a is not None and img is not None
    assert p.attrs == {"id": "a", "class": "  x  y "}
    assert p.classes == ["x", "y"]
    assert a.attrs == {"href": "/u", "hidden": ""}  # a bare attribute is ""
    assert img.get("alt") == "" and img.get("title") is None


def test_repeated_attribute_last_value_wins() -> None:
    doc = _doc('<a href="first" href="second" HREF=third>x</a>')
    [a] = doc.find_all("a")
    assert a.attrs == {"href": "third"}


def test_find_all_by_names_and_attribute() -> None:
    doc = _doc('<h1>T</h1><a href="">e</a><a>n</a><th>h</th><a href=x>y</a><dt>d</dt>')
    assert [el.name for el in doc.find_all("h1", "th", "dt")] == ["h1", "th", "dt"]
    assert [doc.text_of(a) for a in doc.find_all("a", has="href")] == ["e", "y"]
    assert len(doc.find_all()) == len(doc) == 6
    assert doc.find("svg") is None


# -- spans ------------------------------------------------------------------------------------


def test_element_spans_are_start_tags_in_the_source() -> None:
    html = '<html>\n<body>\n  <p>Hi</p>\n  <a title="a>b"\n     href="x">y</a>\n</body></html>'
    draft = load_html_text(html, "t.html")
    assert _line_col(draft, "p") == (3, 3)
    assert _line_col(draft, "a") == (4, 3)
    a = draft.html_doc.find("a") if draft.html_doc else None
    assert a is not None
    span = element_span(draft, a)
    assert span is not None  # to the first ">", as ever (even inside a quoted value)
    assert html[span.start : span.end] == '<a title="a>'


def test_element_spans_follow_the_html_origins() -> None:
    html = "<p>x</p><b>y</b>"
    doc, _prose, _title, _meta = extract_html(html, array("l", range(100, 100 + len(html))))
    draft = Draft.from_html(html)
    draft.extra["html_origins"] = array("l", range(100, 100 + len(html)))
    b = doc.find("b")
    assert b is not None and b.start == 8
    span = element_span(draft, b)
    assert span is not None and (span.start, span.end) == (108, 111)


# -- text -------------------------------------------------------------------------------------


def test_text_of_joins_strings_like_get_text() -> None:
    doc = _doc("<a href=x> Reset <b>your</b>\n password </a>")
    a = doc.find("a")
    assert a is not None
    assert doc.text_of(a) == " Reset your\n password "
    assert doc.text_of(a, "|") == " Reset |your|\n password "
    assert doc.text_of(a, " ", strip=True) == "Reset your password"


def test_entities_and_character_references() -> None:
    doc = _doc("<p>a&amp;b &nbsp;&eacute; &foo; &amp x &#65;&#x42; &#128; &#0; &#x110000;</p>")
    p = doc.find("p")
    assert p is not None
    # an unknown entity is "&name" (its ";" dropped), 0x80-0x9F read as windows-1252, NUL
    # and numbers past U+10FFFF become U+FFFD: bs4's answers
    assert doc.text_of(p) == "a&b \xa0\xe9 &foo & x AB \u20ac \ufffd \ufffd"


def test_comments_scripts_styles_and_ruby_are_not_element_text() -> None:
    doc = _doc("<div>a<!-- c -->b<script>s()</script><style>p{}</style>"
               "<ruby>漢<rt>kan</rt></ruby><template>t</template>c</div>")
    div, script, style = doc.find("div"), doc.find("script"), doc.find("style")
    assert div is not None and script is not None and style is not None
    assert doc.text_of(div, "|") == "a|b|漢|c"  # a comment ends a string
    assert doc.text_of(script) == "s()"
    assert doc.text_of(style) == "p{}"


def test_whitespace_only_strings_collapse_outside_pre() -> None:
    doc = _doc("<td> \n\t </td><td>   </td><pre>  \n  </pre>")
    td1, td2 = doc.find_all("td")
    pre = doc.find("pre")
    assert pre is not None
    assert (doc.text_of(td1), doc.text_of(td2), doc.text_of(pre)) == ("\n", " ", "  \n  ")


# -- mis-nested and unclosed tags ----------------------------------------------------------------


def test_misnested_end_tag_closes_to_the_nearest_open_element() -> None:
    doc = _doc("<p>a<b>b</p>c</b>d")
    p, b = doc.find("p"), doc.find("b")
    assert p is not None and b is not None
    assert doc.text_of(p) == "ab"  # </p> closed <b> too
    assert doc.text_of(b) == "b"  # the later </b> had no open <b>: ignored


def test_unclosed_elements_run_to_the_end() -> None:
    doc = _doc("<div><a href=x>one<span>two")
    assert [doc.text_of(el) for el in doc.elements] == ["onetwo", "onetwo", "two"]


def test_stray_end_tags_are_ignored() -> None:
    doc = _doc("</div><p>x</span></p>y")
    p = doc.find("p")
    assert _names(doc) == ["p"] and p is not None and doc.text_of(p) == "x"


def test_void_elements_never_hold_text() -> None:
    doc = _doc("<p>a<br>b<img src=x>c</br>d<hr/>e<br/>f</p>")
    assert _names(doc) == ["p", "br", "img", "hr", "br"]
    p = doc.find("p")
    assert p is not None and doc.text_of(p) == "abcdef"
    assert all(doc.text_of(el) == "" for el in doc.elements[1:])


def test_self_closed_normal_element_is_empty() -> None:
    doc = _doc("<div/>text<span/>more")
    assert [doc.text_of(el) for el in doc.elements] == ["", ""]


def test_angle_placeholder_is_an_element_that_swallows_the_rest() -> None:
    doc = _doc("<p>Dear <FirstName>, sorry.</p><p>Bye</p>")
    first = doc.find("firstname")
    assert first is not None
    assert doc.text_of(first) == ", sorry."  # </p> closed it, as in bs4


# -- against bs4 ----------------------------------------------------------------------------------

_SNIPPETS = (
    "<p>a<b>b</p>c</b>d<br></br><hr></hr>e",
    "<table><tr><td>1<td>2</tr></table><a href='x' class='a  b'>l<i>i</a>k</i>",
    "<div><pre> x </pre><textarea>\n</textarea><style>a{}</style><script>x</script></div>",
    "<ruby>a<rt>b</rt><rp>(</rp></ruby><template><p>t</p></template>",
    "&amp;&foo;&amp &#65;&#150;<![CDATA[ c ]]><!-- c --><?pi?>",
    "<a href=1 href=2 rel='n f'>x</a><img/><img>t</img>",
    "<html><head><title>T</title><body><p>unclosed head",
    "<h1>A<h2>B</h1>C</h2><dt>D<dd>E</dt>",
)
_BS4_LIST_ATTRS = {"class", "accesskey", "dropzone", "rel", "rev", "headers"}


def _bs4_view(html: str) -> list[tuple[str, dict[str, str], str, str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    out = []
    for el in soup.find_all(True):
        attrs = {k: " ".join(v) if isinstance(v, list) else v for k, v in el.attrs.items()}
        out.append((el.name, attrs, el.get_text("|"), el.get_text(" ", strip=True)))
    return out


def _our_view(html: str) -> list[tuple[str, dict[str, str], str, str]]:
    doc = _doc(html)
    out = []
    for el in doc.elements:
        attrs = {k: " ".join(v.split()) if k in _BS4_LIST_ATTRS else v
                 for k, v in el.attrs.items()}
        out.append((el.name, attrs, doc.text_of(el, "|"), doc.text_of(el, " ", strip=True)))
    return out


@pytest.mark.parametrize("html", _SNIPPETS)
def test_same_elements_and_text_as_bs4(html: str) -> None:
    assert _our_view(html) == _bs4_view(html)


_PIECES = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<a href=x>", "</a>", "<br>", "</br>", "<img>", "<td>",
    "</tr>", "<pre>", "</pre>", "<style>", "</style>", "<rt>", "</rt>", "<div/>", " ", "\n",
    "text", "&amp;", "&x;", "&#147;", "<!-- c -->", "<h2 class='a b'>", "</h2>", "</div>",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_random_tag_soup_matches_bs4(html: str) -> None:
    if "<" not in html:
        html += "<i></i>"  # bs4 warns about markup that looks like a file name
    assert _our_view(html) == _bs4_view(html)


# -- prose builder: mapping origins while building -------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["run", "const", "br", "para", "mark"]),
                       st.text(alphabet="ab \n\t\u200b\xa0", max_size=6)), max_size=12),
    st.lists(st.integers(min_value=-1, max_value=999), min_size=120, max_size=120),
)
def test_prose_outer_at_construction_equals_outer_at_build(
    ops: list[tuple[str, str]], outer: list[int]
) -> None:
    early, late = ProseBuilder(None, outer), ProseBuilder()
    at = 0
    for op, text in ops:
        for b in (early, late):
            if op == "run":
                b.add_run(text, at)
            elif op == "const":
                b.add_constant(text, at)
            elif op == "br":
                b.line_break()
            elif op == "para":
                b.paragraph_break()
            else:
                b.add_mark(at)
        at += len(text) + 1
        if at + 8 > len(outer):
            break
    p1, p2 = early.build(), late.build(outer)
    assert (p1.text, list(p1.origins)) == (p2.text, list(p2.origins))


# -- start-up -------------------------------------------------------------------------------------


def test_lint_path_does_not_import_bs4(tmp_path: Path) -> None:
    page = tmp_path / "apology.html"
    page.write_text('<html lang="en"><head><title>Sorry</title></head><body><p>We are sorry: '
                    'your order was late. <a href="https://shop.example/help">Help</a></p>'
                    "<img src=logo.png alt=Shop><h2>What now</h2></body></html>")
    code = (
        "import sys, apologylint\n"
        f"apologylint.lint({str(EXAMPLES / 'good-apology.eml')!r})\n"
        f"apologylint.lint({str(page)!r})\n"
        "print('bs4' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_soup_is_still_there_for_library_callers() -> None:
    draft = Draft.from_html("<p>Hello <b>you</b></p>")
    assert draft.soup is not None
    assert draft.soup.get_text() == "Hello you"
    assert Draft.from_text("plain").soup is None


def test_text_of_reads_a_bounded_stretch_of_an_unclosed_element() -> None:
    """An element left open runs to the end of the page; its text is read only up to
    TEXT_LIMIT (else 20,000 unclosed links cost time in the square of the page)."""
    from apologylint.loaders.html import TEXT_LIMIT

    doc, *_ = extract_html("<p>" + '<a href="https://shop.example/x">help me ' * 5000)
    anchors = doc.find_all("a")
    assert len(anchors) == 5000
    first = doc.text_of(anchors[0])
    assert first.startswith("help me help me ")
    assert TEXT_LIMIT <= len(first) < TEXT_LIMIT + len("help me ")
    assert doc.text_of(anchors[-1]) == "help me "
