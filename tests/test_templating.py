"""Template syntax: every ESP's tags and fallback forms, if-guards, and real templates.

``tests/fixtures/templates/`` holds one realistic template per ESP syntax (English and
Polish). The table below says which of their tags lack a fallback (AL703 fires there,
at the tag); everything else about them must be quiet: no tag text in the prose, tag
spans exact, no left-over-tag, alt or link findings.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from apologylint import lint
from apologylint.config import settings_from_mapping
from apologylint.loaders import load_path
from apologylint.loaders.templating import field_key, find_template_tags
from apologylint.model import TEMPLATE_MARK
from apologylint.packs import load_packs
from apologylint.rules.templates import field_names, in_link_or_comment, is_personal

TEMPLATES = Path(__file__).parent / "fixtures" / "templates"

#: fixture -> tags that have no fallback (in file order)
NO_FALLBACK = {
    "liquid-shopify-order-delay.html": ["{{ customer.city }}"],
    "jinja-hubl-webinar.html": ["{{ personalization_token('contact.lastname', '') }}"],
    "handlebars-postmark-shipping.html": ["{{last_name}}"],
    "mailchimp-pl-podwojna-wysylka.html": ["*|TITLE:MIASTO|*"],
    "sendgrid-dynamic-invoice.html": ["-company_name-", "{{insert last_name}}"],
    "ampscript-sfmc-itinerary.html": ["%%=v(@city)=%%", "%%LastName%%"],
    "klaviyo-discount-code.html": ["{{ person|lookup:'Nickname' }}"],
    "braze-duplicate-push.html": ["{{custom_attribute.${nickname}}}"],
    "iterable-delivery-reminder.html": ["{{capitalize lastName}}"],
    "campaignmonitor-concert.html": ["[lastname,fallback=]"],
    "marketo-renewal.html": ["{{company.Company Name}}", "{{lead.Last Name}}"],
    "mautic-pl-odnowienie.html": ["{contactfield=company}", "{contactfield=lastname}"],
    "liquid-pl-opoznienie.txt": ["{{ klient.miasto }}", "{{ klient.nazwisko }}"],
}
_OPENERS = ("{{", "{%", "{#", "*|", "%%", "{contactfield", "[firstname", "-company_name-")


def test_every_fixture_is_in_the_table() -> None:
    assert sorted(p.name for p in TEMPLATES.iterdir() if p.is_file()) == sorted(NO_FALLBACK)


def _lint(path: Path, *rules: str) -> list[tuple[str, int, int]]:
    lang = "pl" if "-pl-" in path.name else "en"
    settings = settings_from_mapping(
        {"select": list(rules), "language": lang, "from": "team@fernhill.co.uk"}, origin="t"
    )
    report = lint(path, config=settings)
    assert not report.errors
    return [(d.rule, d.line, d.column) for d in report.diagnostics]


def _where(text: str, needle: str, start: int = 0) -> tuple[int, int, int]:
    at = text.index(needle, start)
    line = text.count("\n", 0, at) + 1
    return at, line, at - (text.rfind("\n", 0, at) + 1) + 1


@pytest.mark.parametrize("name", sorted(NO_FALLBACK))
def test_fixture_fallbacks_fire_at_the_tag(name: str) -> None:
    path = TEMPLATES / name
    text = path.read_text("utf-8")
    expected = []
    at = 0
    for tag in NO_FALLBACK[name]:
        at, line, col = _where(text, tag, at)
        expected.append(("placeholder-without-fallback", line, col))
    assert _lint(path, "placeholder-without-fallback") == expected


@pytest.mark.parametrize("name", sorted(NO_FALLBACK))
def test_fixture_tags_are_syntax_not_prose(name: str) -> None:
    path = TEMPLATES / name
    [draft] = load_path(path)
    text = draft.source.text
    assert draft.template_tags, name
    for tag in draft.template_tags:
        assert text[tag.span.start : tag.span.end] == tag.text
    for opener in _OPENERS:
        assert opener not in draft.prose.text, (name, opener)
    assert TEMPLATE_MARK in draft.prose.text
    # a template holds no left-over tags, its images have alt text, its links are sound
    quiet = ("unrendered-placeholder", "image-without-alt", "suspicious-link")
    assert _lint(path, *quiet) == []


@pytest.mark.parametrize("name", sorted(n for n in NO_FALLBACK if n.endswith(".html")))
def test_fixture_templates_look_branded(name: str) -> None:
    assert _lint(TEMPLATES / name, "unbranded-template") == []


# -- the scanner, syntax by syntax ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "fallback"),
    [
        # Liquid / Shopify
        ('{{ customer.first_name | default: "there" | capitalize }}', "customer.first_name",
         True),
        ("{{ customer.first_name | capitalize }}", "customer.first_name", False),
        ("{% echo customer.first_name %}", "customer.first_name", False),
        # Jinja / HubL
        ('{{ user.first_name|d("friend") }}', "user.first_name", True),
        ('{{ first_name if first_name else "there" }}', "first_name", True),
        ("{{ contact.firstname|default('there', true) }}", "contact.firstname", True),
        ("{{ personalization_token('contact.firstname', 'there') }}", "contact.firstname",
         True),
        ("{{ personalization_token('contact.firstname') }}", "contact.firstname", False),
        # Klaviyo
        ("{{ first_name|default:'' }}", "first_name", False),
        ("{{ person|lookup:'First Name'|default:'friend' }}", "First Name", True),
        # Braze
        ("{{${first_name} | default: 'friend'}}", "first_name", True),
        ("{{custom_attribute.${nickname}}}", "nickname", False),
        # Handlebars, Postmark, SendGrid, Iterable
        ("{{{firstName}}}", "firstName", False),
        ('{{insert first_name "default=there"}}', "first_name", True),
        ("{{insert first_name}}", "first_name", False),
        ('{{defaultIfEmpty firstName "there"}}', "firstName", True),
        ('{{defaultIfEmpty firstName ""}}', "firstName", False),
        ("{{capitalize firstName}}", "firstName", False),
        # Mailchimp
        ("*|TITLE:FNAME|*", "FNAME", False),
        ("*|LIST:COMPANY|*", "LIST:COMPANY", False),
        # AMPscript
        ('%%=IIF(Empty(@fn), "there", @fn)=%%', "fn", True),
        ('%%=AttributeValue("FirstName")=%%', "FirstName", False),
        # Campaign Monitor, Marketo, Mautic, FreeMarker, Smarty
        ("[First Name,fallback=friend]", "First Name", True),
        ("{{lead.First Name:default=edit me}}", "lead.First Name", True),
        ("{contactfield=firstname|}", "firstname", False),
        ('${first_name!"there"}', "first_name", True),
        ("${first_name!}", "first_name", False),
        ('{$first_name|default:"there"}', "first_name", True),
        # hand-written placeholders, Polish too
        ("<Imię i nazwisko>", "Imię i nazwisko", False),
        ("[Imię]", "Imię", False),
    ],
)
def test_field_name_and_fallback(text: str, name: str, fallback: bool) -> None:
    tags = [t for t in find_template_tags(f"Hi {text}, sorry", html=True) if not t.is_control]
    assert [(t.name, t.has_fallback) for t in tags] == [(name, fallback)]
    assert tags[0].start == 3 and tags[0].end == 3 + len(text)


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("{% if first_name %}Hi {{ first_name }}{% endif %}", True),
        ("{% if first_name != blank %}Hi {{ first_name }}{% else %}Hi{% endif %}", True),
        ("{% if first_name == blank %}Hi{% else %}Hi {{ first_name }}{% endif %}", True),
        ("{% unless first_name == blank %}Hi {{ first_name }}{% endunless %}", True),
        ("{% if not first_name %}Hi{% else %}Hi {{ first_name }}{% endif %}", True),
        ("{% if first_name %}Hi{% else %}Hi {{ first_name }}{% endif %}", False),
        ("{% if last_name %}Hi {{ first_name }}{% endif %}", False),
        ("{% if first_name %}{% endif %}Hi {{ first_name }}", False),
        ("{% if user.first_name is defined %}{{ user.first_name }}{% endif %}", True),
        ("{{#if firstName}}Hi {{firstName}}{{else}}Hi{{/if}}", True),
        ("{{#unless firstName}}Hi{{else}}Hi {{firstName}}{{/unless}}", True),
        ("{{#if a}}{{else if firstName}}Hi {{firstName}}{{/if}}", True),
        ("{{#firstName}}Hi {{firstName}}{{/firstName}}", True),
        ("{{^firstName}}Hi {{firstName}}{{/firstName}}", False),
        ("*|IF:FNAME|*Hi *|FNAME|**|END:IF|*", True),
        ("*|IFNOT:FNAME|*Hi*|ELSE:|*Hi *|FNAME|**|END:IF|*", True),
        ("*|IF:LNAME|*Hi *|FNAME|**|END:IF|*", False),
        ("%%[ IF NOT Empty(@fn) THEN ]%%Hi %%=v(@fn)=%%%%[ ENDIF ]%%", True),
        ("%%[ IF Empty(@fn) THEN ]%%Hi %%=v(@fn)=%%%%[ ENDIF ]%%", False),
        ('%%[ SET @fn = [FirstName] IF @fn == "" THEN SET @fn = "you" ENDIF ]%%%%=v(@fn)=%%',
         True),
        ('{% assign n = customer.first_name | default: "there" %}Hi {{ n }}', True),
        ("{% set n = user.first_name or 'there' %}Hi {{ n }}", True),
        ("{% if ${first_name} != blank %}{{${first_name}}}{% endif %}", True),
        ("{% for i in items %}{% if first_name %}{% endif %}{% endfor %}{{ first_name }}",
         False),
    ],
)
def test_if_guards(text: str, guarded: bool) -> None:
    outputs = [t for t in find_template_tags(text) if not t.is_control]
    assert outputs[-1].has_fallback is guarded


def test_copied_variables_resolve_to_their_field() -> None:
    text = '%%[ SET @fn = AttributeValue("FirstName") ]%%Dear %%=v(@fn)=%%'
    *_, tag = find_template_tags(text)
    assert (tag.name, tag.has_fallback) == ("FirstName", False)
    text = "{% assign who = customer.first_name %}Dear {{ who }}"
    *_, tag = find_template_tags(text)
    assert tag.name == "customer.first_name"


def test_each_loop_items_are_not_the_recipient() -> None:
    text = "{{#each items}}{{name}} {{firstName}}{{/each}} {{name}}"
    names = [t.name for t in find_template_tags(text) if not t.is_control]
    assert names == ["this.name", "this.firstName", "name"]


def test_guard_pass_is_linear() -> None:
    nasty = "{% if first_name %}" * 20_000 + "{{ first_name }}" * 20_000 + "{% endif %}" * 20_000
    nasty += "{{#each x}}" * 10_000 + "{{name}}" * 10_000 + "*|IF:A|*" * 10_000
    start = time.perf_counter()
    tags = find_template_tags(nasty)
    assert time.perf_counter() - start < 3.0
    assert all(t.has_fallback for t in tags if t.name == "first_name" and not t.is_control)


# -- field names ----------------------------------------------------------------------------


def test_field_key_compares_across_syntaxes() -> None:
    assert field_key("${First_Name}") == field_key("@first-name") == field_key("first name")
    assert field_key("contact.firstname") == "contact.firstname"


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("first_name", True), ("FNAME", True), ("lead.First Name", True),
        ("contact.firstname", True), ("customer['last_name']", True), ("imię", True),
        ("IMIE", True), ("klient.nazwisko", True), ("imie_wolacz", True), ("name", True),
        ("customer.name", True), ("company.Company Name", True), ("../first_name", True),
        ("product.name", False), ("shop.name", False), ("store.city", False),
        ("this.name", False), ("order_id", False), ("email", False), ("LIST:COMPANY", False),
        ("zamowienie.numer", False), ("unsubscribe_url", False), ("", False),
    ],
)
def test_personal_fields(name: str, personal: bool) -> None:
    names = field_names(load_packs().values())
    assert is_personal(name, names) is personal


@pytest.mark.parametrize(
    ("before", "inside"),
    [
        ('<a href="https://x.com/?n=', True),
        ("<img src='https://x.com/", True),
        ('<a title="Hi ', False),
        ("<p>Hi ", False),
        ("<!-- Hi ", True),
        ("<!-- x --> Hi ", False),
        ("Visit https://x.com/u/", True),
        ("Visit www.x.com/?n=", True),
        ("Hi ", False),
    ],
)
def test_tags_in_links_and_comments(before: str, inside: bool) -> None:
    text = before + "{{ first_name }}"
    assert in_link_or_comment(text, len(before)) is inside
