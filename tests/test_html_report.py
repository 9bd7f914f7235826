"""The visual report: ``--format html`` / ``--report FILE.html``.

Two layers of tests:

- without a browser: the copy of each draft shown in the page is harmless (no script, no
  remote URL anywhere it could be fetched from) and carries the highlights at the right
  text, also through quoted-printable .eml parts and HTML entities;
- in headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it and sets
  ``APOLOGYLINT_REQUIRE_BROWSER=1`` so that CI cannot skip): the page loads without a
  single console message, its own script runs (frames ready, every body finding located
  in its frame and visible), a ``<script>`` in a draft does not run, nothing is requested
  from the network (Chrome's own net log is read), and a screenshot is produced.
"""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from apologylint.api import lint_paths
from apologylint.output import OutputOptions
from apologylint.output import html as html_format
from conftest import CliRunner

# -- drafts ------------------------------------------------------------------------------

#: every URL in it is on a .example host or relative ("local-asset"), so that the net log
#: shows any attempt to fetch one
HOSTILE_HTML = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Oops!! We messed up</title>
<meta name="from" content="Acme Team <noreply@acme.example>">
<meta http-equiv="refresh" content="0; url=https://refresh.example/">
<base href="https://base.example/">
<link rel="stylesheet" href="https://fonts.example/css?family=Roboto">
<style>
  @import url("https://cdn.example/theme.css");
  @import "https://cdn.example/other.css";
  @font-face { font-family: Brand; src: url(https://fonts.example/brand.woff2) format("woff2"); }
  body { font-family: Brand, Georgia, serif; background: #fafafa url(https://cdn.example/bg.png); }
  .box { max-width: 560px; margin: 0 auto; background: #fff; padding: 24px; }
</style>
<script>document.title = 'PWNED'; parent.document.title = 'PWNED';</script>
</head>
<body onload="parent.document.body.setAttribute('data-pwned', 'onload')">
<div class="box" style="background-image: url('https://cdn.example/box.png')">
  <img src="https://cdn.example/logo.png" alt="Acme" width="120" height="40">
  <img src="local-asset/logo.png" srcset="https://cdn.example/logo@2x.png 2x" alt="">
  <img src="x" onerror="parent.document.body.setAttribute('data-pwned', 'onerror')" alt="">
  <p>Hi {{ first_name | default: "there" }},</p>
  <p>Whoops! Our bad &mdash; mistakes were made and yesterday's email went to the wrong list.</p>
  <p>Please ignore it. Write to help@acme.example if you have questions.</p>
  <p><a href="https://track.example/click?u=1">Read more</a></p>
  <iframe src="https://frame.example/"></iframe>
  <video poster="https://cdn.example/poster.png"></video>
  <svg width="10" height="10"><image href="https://cdn.example/svg.png" width="10"/></svg>
  <table background="https://cdn.example/table.png"><tr><td>Acme Ltd</td></tr></table>
  <script>parent.document.body.appendChild(document.createElement('b')).id = 'pwned';</script>
</div>
</body>
</html>
"""

#: an .eml whose HTML part is quoted-printable: offsets in the part differ from the file
QP_EML = """\
From: Maya at Acme <maya@acme.example>
To: sam@example.com
Subject: We sent you the wrong invoice
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Whoops, we sent you the wrong invoice. We're sorry.

--b1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p style=3D"color:#333">Dear Sam, caf=C3=A9 regulars know us well=
. Whoops, we sent you the wrong invoice. We're sorry. Reply to this email if =
anything looks wrong.</p></body></html>

--b1--
"""

POLISH_TXT = """\
Subject: Ups! Mała wpadka
From: Sklep Kwiatek <nie-odpowiadaj@kwiatek.example>

Cześć!

Ojej, wczorajszy mail trafił nie do tych osób co trzeba. Przepraszamy za pomyłkę.

Zespół Kwiatek
"""


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (folder / "qp.eml").write_text(QP_EML, encoding="utf-8")
    (folder / "polish.txt").write_text(POLISH_TXT, encoding="utf-8")
    return folder


def _page(folder: Path) -> str:
    run = lint_paths([folder], config={"language": "auto"}, keep_drafts=True)
    assert not run.report.errors
    return html_format.render(run.report, OutputOptions(drafts=tuple(run.drafts)))


def _section(page: BeautifulSoup, name: str) -> Tag:
    for section in page.select("section.al-draft"):
        if str(section.get("data-path", "")).endswith(name):
            return section
    raise AssertionError(f"no section for {name}")


def _frame_doc(section: Tag) -> BeautifulSoup:
    frame = section.select_one("iframe.al-body")
    assert frame is not None
    return BeautifulSoup(str(frame["srcdoc"]), "html.parser")


def _findings(section: Tag, rule: str) -> list[Tag]:
    return section.select(f'button.al-finding[data-rule="{rule}"]')


def _marked_text(doc: BeautifulSoup | Tag, fid: str) -> list[str]:
    """The texts marked for finding ``fid``; adjacent marks (split where another finding
    overlaps) are joined into one run."""
    runs: list[str] = []
    previous: Tag | None = None
    for mark in doc.select("[data-al-findings]"):
        ids = mark["data-al-findings"]
        if fid not in (ids if isinstance(ids, list) else str(ids).split()):
            continue
        if previous is not None and mark.previous_sibling is previous:
            runs[-1] += mark.get_text()
        else:
            runs.append(mark.get_text())
        previous = mark
    return runs


# -- without a browser ---------------------------------------------------------------------

FETCHING = ("src", "srcset", "background", "poster", "data", "action", "formaction",
            "xlink:href", "lowsrc", "dynsrc", "ping", "manifest", "imagesrcset")


def _assert_harmless(doc: BeautifulSoup) -> None:
    assert doc.find("script") is None
    assert doc.find("link") is None
    assert doc.find("base") is None
    for meta in doc.find_all("meta"):
        equiv = str(meta.get("http-equiv", "")).lower()
        assert equiv in ("", "content-security-policy"), meta
    for tag in doc.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not name.startswith("on"), (tag.name, name)
            if name in FETCHING:
                assert text.startswith("data:") or text.startswith("#"), (tag.name, name, text)
            if name == "href" and tag.name not in ("a", "area"):
                assert text.startswith("#"), (tag.name, text)
            if name == "style":
                for url in re.findall(r"url\(([^)]*)\)", text):
                    assert url.strip("'\" ").startswith("data:image/"), text
    for style in doc.find_all("style"):
        css = style.get_text()
        assert "@import" not in css.replace("@al-blocked-import", "")
        for url in re.findall(r"url\(([^)]*)\)", css):
            assert url.strip("'\" ").startswith("data:image/"), url


def test_the_copy_of_a_hostile_draft_is_harmless(drafts: Path) -> None:
    page = BeautifulSoup(_page(drafts), "html.parser")
    doc = _frame_doc(_section(page, "hostile.html"))
    _assert_harmless(doc)
    csp = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and csp["content"] == html_format.CSP_FRAME
    # images keep their place as inline placeholders; links keep their target as a tooltip
    images = doc.find_all("img")
    assert len(images) == 3 and all(str(i["src"]).startswith("data:image/svg") for i in images)
    assert images[0]["data-al-blocked-src"] == "https://cdn.example/logo.png"
    link = doc.find("a")
    assert link is not None and link["href"] == "#al-blocked-link"
    assert link["title"] == "https://track.example/click?u=1"
    assert "PWNED" not in str(doc) and "pwned" not in str(doc)


def test_the_frame_is_sandboxed_without_scripts(drafts: Path) -> None:
    page = BeautifulSoup(_page(drafts), "html.parser")
    frames = page.select("iframe")
    assert len(frames) == 3
    for frame in frames:
        assert frame["sandbox"] in (["allow-same-origin"], "allow-same-origin")  # no scripts
        assert frame.get("src") is None
    assert page.find_all("script") and all(not s.get("src") for s in page.find_all("script"))
    assert not page.select("link, img[src^=http]")


def test_the_page_policy_allows_only_its_own_script(drafts: Path) -> None:
    text = _page(drafts)
    page = BeautifulSoup(text, "html.parser")
    csp = str(page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"])
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    scripts = page.find_all("script")
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].string.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp


def test_findings_are_marked_at_their_words(drafts: Path) -> None:
    page = BeautifulSoup(_page(drafts), "html.parser")
    section = _section(page, "hostile.html")
    doc = _frame_doc(section)
    jokes = {_marked_text(doc, str(b["data-finding"]))[0] for b in _findings(section, "jokey-tone")}
    assert jokes == {"Whoops", "Our bad"}
    non_apology = _findings(section, "non-apology")
    assert [_marked_text(doc, str(b["data-finding"])) for b in non_apology] == [
        ["mistakes were made"]
    ]
    # the entity before it stays whole: the reader sees a dash, not "&mda"
    assert "Our bad — mistakes were made" in doc.get_text()
    # marks never nest: findings sharing words share one mark
    assert not doc.select("mark mark")
    # the subject and the sender are marked in the header panel, not in the frame
    subject = _findings(section, "jokey-subject")
    assert subject and all(b["data-where"] == "header" for b in subject)
    envelope = section.select_one(".al-envelope")
    assert envelope is not None
    assert _marked_text(envelope, str(subject[0]["data-finding"])) == ["Oops"]
    sender = _findings(section, "no-reply-sender")
    assert _marked_text(envelope, str(sender[0]["data-finding"])) == [
        "Acme Team <noreply@acme.example>"
    ]


def test_marks_follow_quoted_printable_and_plain_text(drafts: Path) -> None:
    page = BeautifulSoup(_page(drafts), "html.parser")
    section = _section(page, "qp.eml")
    doc = _frame_doc(section)
    jokes = _findings(section, "jokey-tone")
    assert jokes, "jokey-tone should fire on 'Whoops'"
    assert _marked_text(doc, str(jokes[0]["data-finding"])) == ["Whoops"]
    assert "café regulars" in doc.get_text()
    polish = _section(page, "polish.txt")
    plain = _frame_doc(polish)
    assert plain.find("pre") is not None
    jokes = _findings(polish, "jokey-tone")
    assert [_marked_text(plain, str(b["data-finding"])) for b in jokes] == [["Ojej"]]


def test_list_summary_and_filters(drafts: Path) -> None:
    run = lint_paths([drafts], keep_drafts=True)
    page = BeautifulSoup(html_format.render(run.report, OutputOptions(drafts=run.drafts)),
                         "html.parser")
    buttons = page.select("button.al-finding")
    assert len(buttons) == len(run.report.diagnostics)
    assert len({b["data-finding"] for b in buttons}) == len(buttons)
    for d in run.report.diagnostics:
        assert page.select(f'button.al-finding[data-rule="{d.rule}"]')
    assert {str(i["value"]) for i in page.select("input.al-sev")} == {"error", "warning", "info"}
    options = {str(o["value"]) for o in page.select("#al-rule option")}
    assert options == {""} | {d.rule for d in run.report.diagnostics}
    counts = page.select_one(".al-counts")
    assert counts is not None
    errors = sum(1 for d in run.report.diagnostics if d.severity.label == "error")
    assert f"{errors} error" in counts.get_text()


def test_report_without_drafts_still_lists_the_findings(drafts: Path) -> None:
    run = lint_paths([drafts])
    page = BeautifulSoup(html_format.render(run.report, OutputOptions()), "html.parser")
    assert len(page.select("button.al-finding")) == len(run.report.diagnostics)
    assert not page.select("iframe")


def test_cli_format_html_and_report_option(
    drafts: Path, tmp_path: Path, run_cli: CliRunner
) -> None:
    result = run_cli("--format", "html", str(drafts))
    assert result.code == 1
    assert result.out.startswith("<!DOCTYPE html>") and "al-finding" in result.out
    report = tmp_path / "out" / "report.html"
    report.parent.mkdir()
    result = run_cli("--report", str(report), str(drafts))
    assert result.code == 1
    assert "jokey-tone" in result.out and not result.out.startswith("<!DOCTYPE")
    assert report.read_text(encoding="utf-8").count("<iframe") == 3
    result = run_cli("--report", str(tmp_path / "missing" / "r.html"), str(drafts))
    assert result.code == 2 and "cannot write" in result.err


def test_all_checks_passed_page(tmp_path: Path, run_cli: CliRunner) -> None:
    good = tmp_path / "good.txt"
    good.write_text(
        "Subject: We charged you twice\nFrom: Maya at Acme <maya@acme.example>\n\n"
        "We're sorry: we charged you twice for March. The refund is on its way and "
        "reaches your card within five days. Reply to this email if anything looks wrong.\n",
        encoding="utf-8",
    )
    result = run_cli("--format", "html", "--select", "AL1,AL2,AL3,AL4", str(good))
    assert result.code == 0
    assert "All checks passed" in result.out


# -- in the browser ------------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        if os.environ.get("APOLOGYLINT_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (CI installs it: see .ci/run)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


CONSOLE = re.compile(r":CONSOLE[(:]")


class Browser:
    """One headless Chromium run per call: the DOM after scripts ran, the console, and
    every URL the browser requested (from its net log)."""

    def __init__(self, binary: str, tmp: Path) -> None:
        self.binary = binary
        self.tmp = tmp
        self.runs = 0

    def run(self, page: Path, *extra: str) -> tuple[str, list[str], set[str]]:
        self.runs += 1
        profile = self.tmp / f"profile-{self.runs}"
        netlog = self.tmp / f"net-{self.runs}.json"
        args = [
            self.binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--mute-audio",
            f"--user-data-dir={profile}",
            # nothing leaves the machine even if something tried: every host is unknown
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}",
            "--virtual-time-budget=5000", "--window-size=1280,1800",
            *extra, page.as_uri(),
        ]
        done = subprocess.run(args, capture_output=True, text=True, timeout=90, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        console = [line for line in done.stderr.splitlines() if CONSOLE.search(line)]
        return done.stdout, console, self._urls(netlog)

    @staticmethod
    def _urls(netlog: Path) -> set[str]:
        if not netlog.exists():
            return set()
        text = netlog.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
        if not text.endswith("}"):
            text += "]}"  # a log cut short when the browser exited
        try:
            data: dict[str, Any] = json.loads(text)
        except json.JSONDecodeError:
            return set(re.findall(r'"url":"([^"]+)"', text))
        urls: set[str] = set()
        for event in data.get("events", []):
            params = event.get("params") or {}
            for key in ("url", "original_url"):
                if isinstance(params.get(key), str):
                    urls.add(params[key])
        return urls


@pytest.fixture
def browser(tmp_path: Path) -> Browser:
    return Browser(_chromium(), tmp_path / "chromium")


def _from_drafts(urls: set[str]) -> set[str]:
    """Requests for anything named in the test drafts (all on .example hosts or
    relative to the page); Chromium's own background requests are not ours."""
    return {u for u in urls if ".example" in u or "local-asset" in u or "PWNED" in u}


def test_report_in_chromium(drafts: Path, tmp_path: Path, browser: Browser) -> None:
    report = tmp_path / "report.html"
    report.write_text(_page(drafts), encoding="utf-8")
    dom, console, urls = browser.run(report, "--dump-dom")
    assert console == [], "the page logged to the console:\n" + "\n".join(console)
    page = BeautifulSoup(dom, "html.parser")
    # the page's own script ran (its hash is in the page's policy)...
    root = page.find("html")
    assert root is not None and root.get("data-al-script") == "ran"
    assert str(page.select_one("#al-shown").get_text()).endswith("findings shown")
    # ...and the drafts' scripts did not: they would have reached this page
    assert page.title is not None and page.title.get_text().startswith("apologylint report")
    assert page.find(id="pwned") is None
    assert page.body is not None and page.body.get("data-pwned") is None
    # every frame rendered and the page found every body finding's mark in it, visible
    frames = page.select("iframe.al-body")
    assert len(frames) == 3 and all(f.get("data-ready") == "true" for f in frames)
    body = page.select('button.al-finding[data-where="body"]')
    assert body
    assert {b["data-rule"] for b in body} >= {"jokey-tone", "non-apology"}
    assert {str(b.get("data-located")) for b in body} == {"visible"}, [
        (b["data-rule"], b.get("data-located")) for b in body
    ]
    # no image, font, style sheet or frame of any draft was requested
    assert _from_drafts(urls) == set(), sorted(urls)


def test_screenshot_of_the_report(drafts: Path, tmp_path: Path, browser: Browser) -> None:
    report = tmp_path / "report.html"
    report.write_text(_page(drafts), encoding="utf-8")
    shot = tmp_path / "report.png"
    _dom, console, urls = browser.run(report, f"--screenshot={shot}")
    assert console == []
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    assert _from_drafts(urls) == set()


def test_the_sandbox_alone_stops_a_drafts_script(tmp_path: Path, browser: Browser) -> None:
    """The second fence, on its own: a frame as the report builds it, holding a draft
    that was NOT cleaned. Its scripts must still not run (the browser says it blocked
    them); the remote image is requested, which shows the net log check above works."""
    raw = (
        "<p>Whoops</p><script>parent.document.body.setAttribute('data-pwned', 'script');"
        "</script><img src='https://control.example/pixel.png' "
        "onerror=\"parent.document.body.setAttribute('data-pwned', 'onerror')\">"
    )
    page = tmp_path / "sandbox.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>sandbox</title></head>"
        f"<body>{html_format.frame_markup(raw, 1, 'control')}</body></html>",
        encoding="utf-8",
    )
    dom, console, urls = browser.run(page, "--dump-dom")
    body = BeautifulSoup(dom, "html.parser").body
    assert body is not None and body.get("data-pwned") is None
    assert any("Blocked script execution" in line for line in console), console
    assert any("control.example" in u for u in urls), sorted(urls)


def test_a_finding_in_the_text_part_gets_its_own_frame(drafts: Path) -> None:
    """A message with HTML shows the HTML; a finding on its text/plain alternative is
    shown in a second frame that renders that part."""
    from apologylint.loaders import load_path
    from apologylint.model import Diagnostic, Report, Severity

    path = drafts / "qp.eml"
    (draft,) = load_path(path)
    lines = QP_EML.splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("Whoops, we sent"))
    finding = Diagnostic(str(path), "jokey-tone", "AL401", Severity.ERROR, "a joke",
                         line, 1, line, 7)
    report = Report(diagnostics=[finding], files_checked=1)
    page = BeautifulSoup(html_format.render_page(report, [draft]), "html.parser")
    section = _section(page, "qp.eml")
    frames = section.select("iframe.al-body")
    assert [f["id"] for f in frames] == ["al-frame-1-html", "al-frame-1-text"]
    (button,) = section.select("button.al-finding")
    assert button["data-frame"] == "al-frame-1-text"
    text_doc = BeautifulSoup(str(frames[1]["srcdoc"]), "html.parser")
    assert _marked_text(text_doc, str(button["data-finding"])) == ["Whoops"]
    assert not BeautifulSoup(str(frames[0]["srcdoc"]), "html.parser").select("mark")


def test_each_message_of_an_mbox_gets_its_own_findings(tmp_path: Path) -> None:
    from apologylint.loaders import SUPPORTED_EXTENSIONS

    if ".mbox" not in SUPPORTED_EXTENSIONS:
        pytest.skip("no .mbox loader yet")
    mbox = tmp_path / "two.mbox"
    mbox.write_text(
        "From a@b Sat Jan  1 00:00:00 2025\nFrom: Maya <maya@acme.example>\n"
        "Subject: We charged you twice\n\n"
        "We are sorry: we charged you twice. Reply if anything looks wrong.\n\n"
        "From a@b Sat Jan  1 00:00:00 2025\nFrom: Acme <noreply@acme.example>\n"
        "Subject: We charged you twice\n\nWhoops, we charged you twice. Sorry!\n",
        encoding="utf-8",
    )
    run = lint_paths([mbox], keep_drafts=True)
    page = BeautifulSoup(html_format.render(run.report, OutputOptions(drafts=run.drafts)),
                         "html.parser")
    sections = page.select("section.al-draft")
    assert [s.h2.get_text() for s in sections if s.h2] == [
        f"{mbox} · message 1", f"{mbox} · message 2"]
    second = sections[1]
    assert _findings(second, "no-reply-sender") and _findings(second, "jokey-tone")
    assert not _findings(sections[0], "no-reply-sender")
    assert not _findings(sections[0], "jokey-tone")
    doc = _frame_doc(second)
    (joke,) = _findings(second, "jokey-tone")
    assert _marked_text(doc, str(joke["data-finding"])) == ["Whoops"]


def test_a_base64_part_is_never_marked_wholesale(tmp_path: Path) -> None:
    """Every character of a base64 part stands at the part's start in the source, so a
    finding there cannot be placed on its words: no mark (rather than one over the whole
    body), and the list says why."""
    html = ("<html><body><p>Whoops, our bad: we sent you the wrong invoice. Reply to this "
            "email if anything looks wrong.</p></body></html>")
    encoded = base64.encodebytes(html.encode()).decode()
    eml = tmp_path / "b64.eml"
    eml.write_text(
        "From: Maya at Acme <maya@acme.example>\nTo: sam@example.com\n"
        "Subject: We sent you the wrong invoice\nMIME-Version: 1.0\n"
        "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + encoded,
        encoding="utf-8",
    )
    run = lint_paths([eml], keep_drafts=True)
    page = BeautifulSoup(html_format.render(run.report, OutputOptions(drafts=run.drafts)),
                         "html.parser")
    section = _section(page, "b64.eml")
    jokes = _findings(section, "jokey-tone")
    assert jokes
    doc = _frame_doc(section)
    assert "Whoops, our bad" in doc.get_text()
    for button in jokes:
        marked = "".join(_marked_text(doc, str(button["data-finding"])))
        assert len(marked) < 40, marked  # never the whole body
        if not marked:
            assert "exact place cannot be shown" in button.get_text()


# -- the sanitiser on its own: markup that fools a scanner ---------------------------------

#: markup that fools a scanner (odd comment ends, raw-text elements inside foreign
#: content, CSS that hides a fetch in escapes or image-set(), every fetching attribute);
#: each loads ``https://aN.example/`` when shown as written (the control run proves it)
ATTACKS: dict[str, str] = tomllib.loads(
    (Path(__file__).parent / "fixtures" / "report_attacks.toml").read_text(encoding="utf-8")
)["attacks"]


def _sanitised(markup: str) -> str:
    """The report's copy of ``markup`` (both fences) without the frame's CSP."""
    doc, _located = html_format.safe_copy(markup)
    policy = f'<meta http-equiv="Content-Security-Policy" content="{html_format.CSP_FRAME}">'
    assert doc.count(policy) == 1
    return doc.replace(policy, "")


def _frames_page(path: Path, documents: dict[str, str]) -> Path:
    """One page of sandboxed frames (no scripts, as in the report), no policy anywhere."""
    frames = "".join(
        f'<iframe sandbox="allow-same-origin" title="{key}" '
        f'srcdoc="{htmllib.escape(doc, quote=True)}"></iframe>'
        for key, doc in documents.items()
    )
    path.write_text(f"<!DOCTYPE html><html><body>{frames}</body></html>", encoding="utf-8")
    return path


def test_no_attack_survives_in_the_copy() -> None:
    """Without a browser: no fetching attribute or CSS is left, and the attack's host
    is named only in the report's inert ``data-al-*`` attributes."""
    for key, markup in ATTACKS.items():
        doc = _sanitised(markup)
        soup = BeautifulSoup(doc, "html.parser")
        _assert_harmless(soup)
        host = f"{key}.example"
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                if host in str(value):
                    assert name.startswith("data-al-") or name == "title", (key, name, doc)
        for style in soup.find_all("style"):
            assert host not in style.get_text(), (key, doc)
        assert not soup.find_all(["svg", "math", "noscript", "iframe", "object", "embed"])


def test_css_that_hides_a_fetch_is_neutralised() -> None:
    css = html_format.css_neutralised
    assert css("a{background:url(https://x.example/a.png)}") == "a{background:none}"
    kept = "b{background:url(data:image/png;base64,AA)}"
    assert css(kept) == kept
    assert css('x:image-set("a.png" 1x, "b.png" 2x);color:red') == "x:none;color:red"
    assert css("y:-webkit-cross-fade(url(a.png), url(b.png), 50%)") == "y:none"
    assert css('@IMPORT "x.css";') == '@al-blocked-import "x.css";'
    assert css('url("a)b") c') == "none c"  # a ")" inside a string does not end the call
    # escapes that spell a fetch remove the whole sheet; harmless escapes stay
    assert "removed" in css("p{background:u\\72l(https://x.example/)}")
    assert "removed" in css('@\\69mport "x.css";')
    quote = 'q:before{content:"\\201C"} p{background:url(http://x.example/)}'
    assert css(quote) == 'q:before{content:"\\201C"} p{background:none}'
    # neutralising twice changes nothing, and plain CSS is untouched
    for sample in (kept, quote, "font:12px/1.5 Arial;margin:0 auto"):
        assert css(css(sample)) == css(sample)
    assert css("font:12px/1.5 Arial;margin:0 auto") == "font:12px/1.5 Arial;margin:0 auto"


def test_the_sanitiser_alone_stops_every_fetch(tmp_path: Path, browser: Browser) -> None:
    """Defence in depth: the copies, loaded with no Content-Security-Policy at all,
    request nothing; the same drafts as written request every one of their hosts."""
    control = _frames_page(tmp_path / "control.html", dict(ATTACKS))
    _dom, _console, urls = browser.run(control, "--dump-dom")
    fetched = {key for key in ATTACKS if any(f"//{key}.example/" in u for u in urls)}
    assert fetched == set(ATTACKS), sorted(set(ATTACKS) - fetched)
    page = _frames_page(tmp_path / "copies.html",
                        {key: _sanitised(markup) for key, markup in ATTACKS.items()})
    _dom, _console, urls = browser.run(page, "--dump-dom")
    assert _from_drafts(urls) == set(), sorted(urls)
