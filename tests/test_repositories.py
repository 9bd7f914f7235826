"""Template repositories at their edges: what the conventions must survive.

The layouts in ``tests/layouts/`` show each convention working; this module checks the
cases a real repository throws at it: cycles of layouts and partials, a partial included
thousands of times, a layout or a translation key that is not there, broken meta.json and
front matter, a FIFO beside a template, documents and test data in a template folder, data
files that cannot hold a suppression comment. Every case is linted (or refused in one line)
quickly, never hangs, never raises.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from apologylint.api import RunResult, lint_paths
from apologylint.engines import file_kind, is_documentation, sniff_engine, sniff_markup
from apologylint.model import Source

APOLOGY = ("We're sorry: yesterday's email gave the wrong date for your workshop. It is on "
           "Saturday 14 June. You don't need to do anything: your booking is unchanged. "
           "Questions? Write to care@fernleaf.example.")


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)
    return root


def _lint(root: Path, *paths: str, config: dict[str, object] | None = None) -> RunResult:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return lint_paths(list(paths), config=config, keep_drafts=True, jobs=1)
    finally:
        os.chdir(cwd)


def _rules(run: RunResult, path: str | None = None) -> list[str]:
    return [d.rule for d in run.report.diagnostics if path is None or d.path == path]


def _not_checked(run: RunResult, slug: str) -> list[str]:
    return [reason for _p, s, reason in run.report.not_checked if s == slug]


# -- file kinds ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "markup", "engine"), [
    ("welcome.html.erb", "html", "erb"),
    ("welcome.text.erb", "text", "erb"),
    ("welcome.blade.php", "", "blade"),
    ("activate.tmpl", "", "go"),
    ("welcome.html.j2", "html", "jinja"),
    ("welcome.njk", "", "nunjucks"),
    ("order.liquid", "", "liquid"),
    ("content.hbs", "", "handlebars"),
    ("layout.html.twig", "html", "twig"),
    ("sample-tx.tpl", "", None),
    ("meta.json", "json", None),
    ("draft.eml", "eml", None),
    ("notes.py", None, None),
])
def test_file_kinds_by_name(name: str, markup: str | None, engine: str | None) -> None:
    kind = file_kind(name)
    if markup is None:
        assert kind is None
        return
    assert kind is not None and (kind.markup, kind.engine) == (markup, engine)


def test_config_formats_add_endings() -> None:
    assert file_kind("welcome.email") is None
    kind = file_kind("welcome.email", {".email": "django"})
    assert kind is not None and kind.engine == "django"
    kind = file_kind("welcome.htm.tpl", {".tpl": "go"})
    assert kind is not None and (kind.markup, kind.engine) == ("html", "go")


@pytest.mark.parametrize(("name", "document"), [
    ("README.md", True), ("LICENSE", True), ("LICENSE-MIT.txt", True), ("CHANGELOG.md", True),
    ("CODE_OF_CONDUCT.md", True), ("readme_pl.md", True),
    ("security_alert.html", False), ("news_feed.html", False), ("license-renewal.html", False),
    ("security.html", False), ("changes.html", False),
])
def test_documents_are_known_by_name(name: str, document: bool) -> None:
    assert is_documentation(name) is document


def test_sniffing_engine_and_markup() -> None:
    assert sniff_engine("{% load i18n %}{% blocktrans %}Hi{% endblocktrans %}") == "django"
    assert sniff_engine("<p>{{ .Username }}</p>") == "go"
    assert sniff_engine("<p><%= t('.hi') %></p>") == "erb"
    assert sniff_engine("<p>Plain words, no tags.</p>") is None
    assert sniff_markup("<!DOCTYPE html><html>") == "html"
    assert sniff_markup("@component('mail::message')\n# Hi", "blade") == "markdown"
    assert sniff_markup("Hi there,\n\nplain text.") == "text"


def test_a_joined_source_locates_each_file() -> None:
    a, b = Source("a.html", "<p>one</p>\ntwo"), Source("b.json", '{\n "Subject": "x"\n}')
    joined = Source.joined([a, b])
    at = joined.text.index('"x"')
    path, pos = joined.locate(at, at + 3)
    assert (path, pos.line, pos.column, pos.end_column) == ("b.json", 2, 13, 16)
    assert joined.offset_of_line(2, "b.json") == joined.base_of("b.json") + 2  # type: ignore[operator]


# -- cycles, floods, depth ------------------------------------------------------------------


def test_cycles_of_layouts_and_partials_end(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "emails/a.html": '{% extends "emails/b.html" %}{% block c %}<p>' + APOLOGY
                         + '</p>{% include "emails/p.html" %}{% endblock %}',
        "emails/b.html": '{% extends "emails/a.html" %}<div>{% block c %}{% endblock %}</div>',
        "emails/p.html": '<p>part</p>{% include "emails/p.html" %}',
    })
    started = time.perf_counter()
    run = _lint(root, "emails/a.html")
    assert time.perf_counter() - started < 10
    assert not run.report.errors


def test_a_partial_included_thousands_of_times_stays_linear(tmp_path: Path) -> None:
    footer = "<p>Fernleaf Ltd, 12 Mill Lane, Bristol BS1 4QA</p>" * 50
    root = _repo(tmp_path, {
        "emails/flood.hbs": "<p>" + APOLOGY + "</p>" + "{{> footer}}" * 5000,
        "emails/partials/footer.hbs": footer,
    })
    started = time.perf_counter()
    run = _lint(root, "emails/flood.hbs")
    assert time.perf_counter() - started < 30
    assert not run.report.errors
    assert [d.path for d in run.drafts] == ["emails/flood.hbs"]


def test_layouts_nested_deeper_than_the_limit_are_cut(tmp_path: Path) -> None:
    files = {f"layouts/l{i}.html": f'{{% extends "layouts/l{i + 1}.html" %}}'
             f'{{% block c %}}<div>{{% block c %}}{{% endblock %}}</div>{{% endblock %}}'
             for i in range(20)}
    files["layouts/l20.html"] = "<html><body>{% block c %}{% endblock %}</body></html>"
    files["emails/deep.html"] = ('{% extends "layouts/l0.html" %}{% block c %}<p>' + APOLOGY
                                 + "</p>{% endblock %}")
    run = _lint(_repo(tmp_path, files), "emails/deep.html")
    assert not run.report.errors
    assert [d.path for d in run.drafts] == ["emails/deep.html"]
    assert any("nest deeper" in w for w in run.drafts[0].warnings)


# -- what is missing ------------------------------------------------------------------------


def test_a_layout_outside_the_repository_leaves_branding_unchecked(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "templates/emails/sorry.html": '{% extends "account/base_email.html" %}'
                                       "{% block content %}<p>" + APOLOGY
                                       + "</p>{% endblock %}",
    })
    run = _lint(root, "templates/emails/sorry.html")
    assert "unbranded-template" not in _rules(run)
    assert any("not in the repository" in r for r in _not_checked(run, "unbranded-template"))


def test_a_missing_translation_key_is_unseen_text_not_a_finding(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "app/mailers/application_mailer.rb": 'class ApplicationMailer < ActionMailer::Base\n'
                                             '  default from: "care@acme.example"\nend\n',
        "app/mailers/notice_mailer.rb": "class NoticeMailer < ApplicationMailer\n"
                                        "  def outage\n    mail(to: @to)\n  end\nend\n",
        "app/views/notice_mailer/outage.html.erb": "<p><%= t('.sorry') %></p>\n"
                                                    "<p><%= t('.missing') %> Oops!</p>\n",
        "config/locales/en.yml": "en:\n  notice_mailer:\n    outage:\n"
                                 "      subject: The app was down on Saturday\n"
                                 "      sorry: We're sorry, the app was down on Saturday.\n",
    })
    run = _lint(root, "app/views/notice_mailer/outage.html.erb")
    assert not run.report.errors
    draft = run.drafts[0]
    assert draft.subject == "The app was down on Saturday"
    assert any("'.missing'" in reason for reason in draft.unseen_text)
    # what judges the whole text is not checked; what fires on what it sees still runs
    assert "missing-apology" not in _rules(run) and _not_checked(run, "missing-apology")
    assert "jokey-tone" in _rules(run)
    assert "missing-next-steps" not in _rules(run)
    # the sentence from the locale file is reported where it is written
    sorry = [d for d in run.report.diagnostics if d.path == "config/locales/en.yml"]
    assert all(d.line in (4, 5) for d in sorry)


def test_broken_meta_json_and_front_matter_never_stop_the_message(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "templates/a/content.html": "<p>" + APOLOGY + "</p>",
        "templates/a/meta.json": '{"Subject": "Sorry", ',
        "emails/b.html": "---\nsubject: [unclosed\nfrom: : :\n---\n<p>" + APOLOGY + "</p>",
    })
    run = _lint(root, "templates/", "emails/")
    assert not run.report.errors
    paths = sorted(d.path for d in run.drafts)
    assert paths == ["emails/b.html", "templates/a/content.html"]
    b = next(d for d in run.drafts if d.path == "emails/b.html")
    assert "unclosed" not in b.prose.text  # the block is metadata, never body text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_beside_a_template_is_never_opened(tmp_path: Path) -> None:
    root = _repo(tmp_path, {"templates/a/content.html": "<p>" + APOLOGY + "</p>"})
    os.mkfifo(root / "templates/a/content.txt")
    os.mkfifo(root / "templates/a/meta.json")
    started = time.perf_counter()
    run = _lint(root, "templates/a/content.html")
    assert time.perf_counter() - started < 10
    assert [d.path for d in run.drafts] == ["templates/a/content.html"]


# -- not messages ---------------------------------------------------------------------------


def test_documents_test_data_and_pieces_are_not_messages(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "emails/README.md": "# Our emails\n\nOops! LOL. These are our templates.\n",
        "emails/LICENSE": "MIT License\n",
        "emails/receipt_data.json": '{"name": "Ann", "total": "12.00"}',
        "emails/package.json": '{"name": "emails", "version": "1.0.0"}',
        "emails/layouts/base.html": "<html><body>{% block content %}{% endblock %}</body></html>",
        "emails/_footer.html.erb": "<p>Acme Ltd</p>",
        "emails/sorry.html": "<p>" + APOLOGY + "</p>",
    })
    run = _lint(root, "emails/")
    assert [d.path for d in run.drafts] == ["emails/sorry.html"]
    skipped = dict(run.report.skipped)
    assert "emails/receipt_data.json" in skipped and "emails/package.json" in skipped
    assert "emails/layouts/base.html" in skipped
    assert "emails/_footer.html.erb" in skipped
    # a README or a licence is not even walked
    assert not [p for p in skipped if "README" in p or "LICENSE" in p]
    # named explicitly (as pre-commit does), a README is skipped with its reason
    run = _lint(root, "emails/README.md")
    assert not run.drafts and "repository document" in run.report.skipped[0][1]


# -- suppression in data files --------------------------------------------------------------


def test_disable_file_in_a_template_covers_its_data_files(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "templates/oops/content.html": "<!-- apologylint: disable-file=jokey-subject -->\n"
                                       "<p>" + APOLOGY + "</p>",
        "templates/oops/meta.json": '{\n  "Subject": "Oops! We sent the wrong date"\n}\n',
        "templates/plain/content.html": "<p>" + APOLOGY + "</p>",
        "templates/plain/meta.json": '{\n  "Subject": "Oops! We sent the wrong date"\n}\n',
    })
    run = _lint(root, "templates/")
    assert "jokey-subject" not in _rules(run, "templates/oops/meta.json")
    assert "jokey-subject" in _rules(run, "templates/plain/meta.json")
    assert "unused-suppression" not in _rules(run)


# -- what the judges of real repositories found ---------------------------------------------


def test_a_sender_set_by_the_platform_or_framework_is_not_guessed(tmp_path: Path) -> None:
    """Postmark sends from the server's signature, Django from DEFAULT_FROM_EMAIL: with no
    sender in the repository, missing-contact is not checked (a bare template with no
    sender anywhere is still reported)."""
    root = _repo(tmp_path, {
        "templates/a/content.html": "<p>We're sorry: the app was down on Saturday.</p>",
        "templates/a/meta.json": '{"Subject": "The app was down on Saturday"}',
        "emails/b_subject.txt": "{% load i18n %}{% blocktrans %}Sorry{% endblocktrans %}",
        "emails/b_message.txt": "{% load i18n %}{% blocktrans %}We're sorry: the app was "
                                "down on Saturday.{% endblocktrans %}",
        "bare/c.html": "<p>We're sorry: the app was down on Saturday.</p>",
    })
    run = _lint(root, "templates/", "emails/", "bare/")
    reasons = _not_checked(run, "missing-contact")
    assert any("Postmark" in r for r in reasons) and any("DEFAULT_FROM_EMAIL" in r for r in reasons)
    assert [d.path for d in run.report.diagnostics if d.rule == "missing-contact"] == [
        "bare/c.html"]


def test_a_body_filled_in_at_run_time_is_unseen_text(tmp_path: Path) -> None:
    """A helpdesk's reply template prints the agent's text: the template alone is not
    the whole text (missing-apology not checked); text the template captures itself is."""
    root = _repo(tmp_path, {
        "resources/views/emails/reply.blade.php": "<div style=\"color:#333\">"
                                                  "{!! $thread->body !!}</div>\n<p>Acme</p>",
        "notifications/late.liquid": "{% capture email_body %}Your parcel is late."
                                     "{% endcapture %}<p>{{ email_body }}</p>",
    })
    run = _lint(root, "resources/", "notifications/")
    reply = next(d for d in run.drafts if d.path.endswith("reply.blade.php"))
    assert any("$thread->body" in reason for reason in reply.unseen_text)
    late = next(d for d in run.drafts if d.path.endswith("late.liquid"))
    assert not late.unseen_text
    assert "missing-apology" in _rules(run, "notifications/late.liquid")
    assert "missing-apology" not in _rules(run, "resources/views/emails/reply.blade.php")


def test_a_subject_built_by_concatenation_is_unknown(tmp_path: Path) -> None:
    root = _repo(tmp_path, {
        "app/Mail/Alert.php": "<?php\nclass Alert extends Mailable {\n  public function "
                              "build() {\n    return $this->subject('[' . config('app.name') "
                              ". '] ' . $this->title)->view('emails.alert');\n  }\n}\n",
        "app/Mail/Sorry.php": "<?php\nclass Sorry extends Mailable {\n  public function "
                              "build() {\n    return $this->subject(__('We charged you twice'))"
                              "->view('emails.sorry');\n  }\n}\n",
        "resources/views/emails/alert.blade.php": "<p>We're sorry: fetching failed.</p>",
        "resources/views/emails/sorry.blade.php": "<p>We're sorry: we charged you twice.</p>",
    })
    run = _lint(root, "resources/views/emails/")
    subjects = {Path(d.path).name: d.subject for d in run.drafts}
    assert subjects == {"alert.blade.php": None, "sorry.blade.php": "We charged you twice"}


def test_placeholders_that_are_not_the_readers_own(tmp_path: Path) -> None:
    """The sender's company in the sign-off, and a Go template's bare .Name (a field of
    whatever data it renders), are no personal fields; a first name still is."""
    root = _repo(tmp_path, {
        "emails/a.hbs": "<p>Hi {{first_name}},</p><p>We're sorry: the app was down.</p>"
                        "<p>You don't need to do anything.</p><p>The {{CompanyName}} Team</p>",
        "emails/b.tmpl": "<p>We're sorry: the import of {{ .Name }} failed.</p>",
    })
    run = _lint(root, "emails/")
    tags = [d.message.split(" has no fallback")[0] for d in run.report.diagnostics
            if d.rule == "placeholder-without-fallback"]
    assert tags == ["{{first_name}}"]


def test_a_stylesheet_inlined_at_build_time_is_styling(tmp_path: Path) -> None:
    page = ('<html><head><link rel="stylesheet" href="style.css"></head><body>'
            '<img src="https://acme.example/logo.png" alt="Acme">'
            "<p>We're sorry: the app was down on Saturday.</p><p>Acme</p></body></html>")
    root = _repo(tmp_path, {"emails/a.html": page,
                            "emails/b.html": page.replace('<link rel="stylesheet" '
                                                          'href="style.css">', "")
                            .replace('<img src="https://acme.example/logo.png" alt="Acme">',
                                     "")})
    run = _lint(root, "emails/")
    assert "unbranded-template" not in _rules(run, "emails/a.html")
    assert "unbranded-template" in _rules(run, "emails/b.html")


def test_a_shared_layouts_title_is_not_the_messages_subject(tmp_path: Path) -> None:
    """A header partial's <title>Message</title> is every message's: no subject."""
    root = _repo(tmp_path, {
        "emails/header.html": "<html><head><title>Message</title></head><body>",
        "emails/error.html": '{% include "emails/header.html" %}<p>' + APOLOGY + "</p>",
        "emails/own.html": "<html><head><title>Your workshop is on Saturday</title></head>"
                           "<body><p>" + APOLOGY + "</p></body></html>",
    })
    run = _lint(root, "emails/")
    subjects = {d.path: d.subject for d in run.drafts}
    assert subjects == {"emails/error.html": None,
                        "emails/own.html": "Your workshop is on Saturday"}


def test_assemble_false_reads_each_file_alone(tmp_path: Path) -> None:
    """``assemble = false`` (here for one folder): no siblings, layouts or meta.json — every
    file given is a draft of its own, as written; elsewhere the conventions still apply."""
    postmark = {
        "meta.json": '{"Subject": "The date of your workshop", "LayoutTemplate": "basic"}',
        "content.html": "<p>" + APOLOGY + "</p>",
        "content.txt": APOLOGY,
    }
    root = _repo(tmp_path, {
        **{f"alone/{n}": t for n, t in postmark.items()},
        **{f"joined/{n}": t for n, t in postmark.items()},
        "layouts/basic/content.html": "<html><body>{{{@content}}}<p>Fernleaf</p></body></html>",
        "layouts/basic/meta.json": '{"Alias": "basic", "TemplateType": "Layout"}',
    })
    config = {"overrides": [{"files": ["alone/**"], "assemble": False}]}
    run = _lint(root, "alone/", "joined/", "layouts/", config=config)
    drafts = {d.path: d for d in run.drafts}
    assert sorted(drafts) == ["alone/content.html", "alone/content.txt", "joined/content.html"]
    assert drafts["joined/content.html"].subject == "The date of your workshop"
    assert drafts["joined/content.html"].has_text_part
    assert set(drafts["joined/content.html"].origin.files) == {
        "joined/content.html", "joined/content.txt", "joined/meta.json",
        "layouts/basic/content.html"}
    alone = drafts["alone/content.html"]
    assert alone.subject is None and not alone.has_text_part
    assert alone.origin.files == ("alone/content.html",)
    assert drafts["alone/content.txt"].origin.files == ("alone/content.txt",)
    # a meta.json alone is no SendGrid template; the layouts are still not drafts
    assert {p for p, _why in run.report.skipped} >= {"alone/meta.json",
                                                     "layouts/basic/content.html"}


def test_assemble_must_be_a_boolean(tmp_path: Path) -> None:
    from apologylint.config import ConfigError

    with pytest.raises(ConfigError, match="assemble: must be true or false, not a string"):
        _lint(_repo(tmp_path, {"a.html": APOLOGY}), "a.html", config={"assemble": "no"})


def test_a_folder_of_many_templates_is_planned_in_linear_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each name of a folder is split into its message group once per run, however many
    of its files are planned (it was once per file planned: quadratic in the folder)."""
    from apologylint.project import conventions
    from apologylint.project.repository import Repositories

    n = 300
    root = _repo(tmp_path, {
        **{f"emails/m{i}_subject.txt": f"Sorry about message {i}" for i in range(n)},
        **{f"emails/m{i}_message.html": "<p>" + APOLOGY + "</p>" for i in range(n)},
    })
    calls = 0
    split = conventions._part

    def counted(name: str, formats: object) -> object:
        nonlocal calls
        calls += 1
        return split(name, formats)  # type: ignore[arg-type]

    monkeypatch.setattr(conventions, "_part", counted)
    files = sorted((root / "emails").iterdir())
    plans = list(conventions.plan_messages(files, Repositories()))
    assert len(plans) == n
    assert all(p.subject is not None and p.html is not None for p in plans
               if isinstance(p, conventions.MessagePlan))
    assert calls <= 3 * len(files)


def test_a_file_given_by_its_absolute_path_keeps_its_own_subject(tmp_path: Path) -> None:
    """The message's own <title> and Subject: line are its subject however the file was
    named (an absolute path is not mistaken for a layout found in the repository)."""
    root = _repo(tmp_path, {
        "emails/own.html": "<html><head><title>Your workshop is on Saturday</title></head>"
                           "<body><p>" + APOLOGY + "</p></body></html>",
        "emails/own.txt": "Subject: Your workshop is on Saturday\n\n" + APOLOGY + "\n",
    })
    for name in ("emails/own.html", "emails/own.txt"):
        run = _lint(root, str(root / name))
        assert [d.subject for d in run.drafts] == ["Your workshop is on Saturday"]
        assert "missing-subject" not in _rules(run)


def test_go_templates_beside_each_other_are_read_once_per_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``{{template "footer" .}}`` in each of n Go mails finds the folder's define
    through one index of the folder, not by reading every file beside each mail."""
    from apologylint.project import assemble

    n = 120
    root = _repo(tmp_path, {
        "mail/footer.tmpl": '{{define "footer"}}<p>Fernleaf Ltd, care@fernleaf.example</p>'
                            "{{end}}",
        **{f"mail/m{i}.tmpl": f"<p>{APOLOGY}</p>{{{{template \"footer\" .}}}}"
           for i in range(n)},
    })
    calls = 0
    peek = assemble._Message._peek

    def counted(self: object, path: Path) -> object:
        nonlocal calls
        calls += 1
        return peek(self, path)  # type: ignore[arg-type]

    monkeypatch.setattr(assemble._Message, "_peek", counted)
    run = _lint(root, "mail/")
    assert len(run.drafts) == n
    footer = str(Path("mail/footer.tmpl"))
    assert all(footer in d.origin.files for d in run.drafts)
    assert all("care@fernleaf.example" in d.prose.text for d in run.drafts)
    assert calls <= 3 * (n + 1)
