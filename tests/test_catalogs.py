"""Locale catalogs: a translation key resolved to the text the reader gets, with each
character's place in the catalog file the user edits.

Every catalog is written here, modelled on real projects: a Rails app (nested en.yml,
views/.../en.yml, lazy ``.key`` lookups), Laravel (lang/en.json with English keys,
lang/en/mail.php with comments and concatenation, the older resources/lang), Django
(.po with fuzzy, obsolete, plural and context entries), Gitea and Gogs (INI), i18next
(namespaces, plurals) and Hugo (YAML and TOML). Hostile files (broken syntax, an alias
bomb, 10 MB, a FIFO, binary, a symlink loop) must be skipped with a warning, quickly.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from apologylint.project.catalogs import (
    Catalogs,
    Entry,
    default_locale,
    find_catalogs,
    find_placeholders,
    locale_chain,
)
from conftest import write_file as write


def found(catalogs: Catalogs, key: str, style: str, scope: str = "") -> Entry:
    entry = catalogs.lookup(key, style, scope=scope)
    assert entry is not None, (key, catalogs.warnings)
    return entry


def assert_exact(entry: Entry) -> None:
    """Every character of the value is the character written at its origin."""
    assert len(entry.origins) == len(entry.text)
    for i, ch in enumerate(entry.text):
        assert entry.source.text[entry.origins[i]] == ch, (i, ch, entry.text)


def where(entry: Entry, index: int = 0) -> tuple[int, int]:
    """Line and column of the value's ``index``-th character in the catalog file."""
    return entry.source.line_col(entry.origins[index])


def spans(entry: Entry) -> list[str]:
    return [entry.text[a:b] for a, b in entry.placeholders]


# --------------------------------------------------------------------------- Rails

RAILS_EN = """\
# Files in the config/locales directory are used for internationalization.
en:
  hello: "Hello world"
  user_mailer:
    welcome:
      subject: Welcome to Acme
      greeting: Hi %{name}, welcome aboard!
    password_reset:
      intro: 'We''re sorry: your reset link expired.'
      body: >
        We are sorry for the trouble.
        Your new link is below.
    outage:
      apology: "We\\u2019re sorry \\"for\\" the outage.\\nIt is fixed."
  inbox:
    one: "One message"
    other: "%{count} messages"
  date:
    day_names: [Sunday, Monday]
  enabled: true
  empty:
"""

RAILS_VIEWS_EN = """\
en:
  user_mailer:
    incident:
      subject: "Service disruption on %{date}"
      details: |
        Between 10:00 and 11:30 UTC our API returned errors.
          No data was lost.
      plain_multi: We apologise
        for the delay.
"""

RAILS_DE = """\
de:
  user_mailer:
    welcome:
      greeting: Hallo %{name}!
"""


@pytest.fixture
def rails(tmp_path: Path) -> Path:
    write(tmp_path, "config/application.rb", (
        "module Acme\n  class Application < Rails::Application\n"
        "    # config.i18n.default_locale = :fr\n"
        "    config.i18n.available_locales = [:en, :de]\n  end\nend\n"
    ))
    write(tmp_path, "config/locales/en.yml", RAILS_EN)
    write(tmp_path, "config/locales/views/user_mailer/en.yml", RAILS_VIEWS_EN)
    write(tmp_path, "config/locales/de.yml", RAILS_DE)
    write(tmp_path, "app/views/user_mailer/welcome.html.erb", "<p><%= t('.greeting') %></p>\n")
    return tmp_path


def test_rails_lazy_key_resolves_in_scope_with_exact_positions(rails: Path) -> None:
    catalogs = find_catalogs(rails)
    assert catalogs.locale == "en"  # commented-out setting ignored; English catalogs exist
    entry = found(catalogs, ".greeting", "rails", scope="user_mailer.welcome")
    assert entry.text == "Hi %{name}, welcome aboard!"
    assert entry.source.path.endswith("config/locales/en.yml")
    assert_exact(entry)
    assert where(entry) == (7, 17)
    assert spans(entry) == ["%{name}"]
    # the same key written in full
    assert found(catalogs, "user_mailer.welcome.greeting", "rails").text == entry.text
    assert catalogs.warnings == []


def test_rails_quoted_scalars_map_escapes_to_their_backslash(rails: Path) -> None:
    catalogs = find_catalogs(rails, "en")
    intro = found(catalogs, "user_mailer.password_reset.intro", "rails")
    assert intro.text == "We're sorry: your reset link expired."
    assert_exact(intro)  # '' stands for one quote: mapped to the first
    assert where(intro) == (9, 15)
    assert where(intro, intro.text.index("sorry")) == (9, 22)

    apology = found(catalogs, "user_mailer.outage.apology", "rails")
    assert apology.text == "We’re sorry \"for\" the outage.\nIt is fixed."
    source = apology.source.text
    for i, ch in enumerate(apology.text):
        written = source[apology.origins[i]]
        assert written == ch or (written == "\\" and ch in "’\"\n"), (i, ch)
    assert source[apology.origins[2] : apology.origins[2] + 6] == "\\u2019"
    assert where(apology, apology.text.index("outage")) == (14, 46)


def test_rails_folded_literal_and_multiline_plain_scalars(rails: Path) -> None:
    catalogs = find_catalogs(rails, "en")
    body = found(catalogs, "user_mailer.password_reset.body", "rails")
    assert body.text == "We are sorry for the trouble. Your new link is below.\n"
    for i, ch in enumerate(body.text):
        if not ch.isspace():
            assert body.source.text[body.origins[i]] == ch
    assert where(body) == (11, 9)
    assert where(body, body.text.index("Your")) == (12, 9)

    details = found(catalogs, "user_mailer.incident.details", "rails")
    assert details.text == (
        "Between 10:00 and 11:30 UTC our API returned errors.\n  No data was lost.\n"
    )
    assert details.source.path.endswith("views/user_mailer/en.yml")
    assert where(details) == (6, 9)
    assert where(details, details.text.index("No data")) == (7, 11)

    plain = found(catalogs, "user_mailer.incident.plain_multi", "rails")
    assert plain.text == "We apologise for the delay."
    assert where(plain, plain.text.index("for")) == (9, 9)


def test_rails_plurals_lists_non_strings_and_missing_keys(rails: Path) -> None:
    catalogs = find_catalogs(rails, "en")
    inbox = found(catalogs, "inbox", "rails")  # t('inbox', count: n): the "other" form
    assert inbox.text == "%{count} messages" and spans(inbox) == ["%{count}"]
    assert found(catalogs, "date.day_names.1", "rails").text == "Monday"
    assert catalogs.lookup("enabled", "rails") is None  # a boolean has no words
    assert catalogs.lookup("empty", "rails") is None
    assert catalogs.lookup("user_mailer.welcome.missing", "rails") is None
    assert catalogs.lookup(".missing", "rails", scope="user_mailer.welcome") is None
    # another locale of the same project
    german = find_catalogs(rails, "de")
    assert found(german, ".greeting", "rails", "user_mailer.welcome").text == "Hallo %{name}!"
    assert german.lookup("hello", "rails") is None  # no per-key fallback across languages


def test_rails_merges_every_file_later_ones_winning(tmp_path: Path) -> None:
    write(tmp_path, "config/locales/en.yml", "en:\n  a: first\n  b: kept\n")
    write(tmp_path, "config/locales/zz_overrides.en.yml", "en:\n  a: second\n")
    write(tmp_path, "config/locales/deep/er/still/en.yml", "en:\n  c: deep\n")
    catalogs = find_catalogs(tmp_path)
    assert found(catalogs, "a", "rails").text == "second"
    assert found(catalogs, "b", "rails").text == "kept"
    assert found(catalogs, "c", "rails").text == "deep"


def test_rails_yaml_anchors_and_merge_keys(tmp_path: Path) -> None:
    write(tmp_path, "config/locales/en.yml", (
        "en:\n"
        "  base: &base\n"
        "    sign_off: The Acme team\n"
        "    sorry: We are sorry.\n"
        "  receipt_mailer:\n"
        "    <<: *base\n"
        "    sorry: We are very sorry.\n"
        "  refund_mailer:\n"
        "    <<: *base\n"
    ))
    catalogs = find_catalogs(tmp_path)
    assert found(catalogs, "receipt_mailer.sorry", "rails").text == "We are very sorry."
    sign_off = found(catalogs, "refund_mailer.sign_off", "rails")
    assert sign_off.text == "The Acme team" and where(sign_off) == (3, 15)
    assert_exact(sign_off)


# --------------------------------------------------------------------------- Laravel

LARAVEL_JSON = """\
{
    "Hello :user_name": "Hello :user_name",
    "We're sorry. It won't happen again.": "We're sorry. It won't happen again.",
    "Note: this is a test": "Note: this is a test, see https://status.example.com/:incident",
    "Café": "Caf\\u00e9 \\"open\\" \\ud83d\\ude00 again"
}
"""

LARAVEL_MAIL_PHP = """\
<?php

declare(strict_types=1);

use Illuminate\\Support\\Str;

/*
|--------------------------------------------------------------------------
| Mail Language Lines
|--------------------------------------------------------------------------
*/

return [
    // shown as the subject
    'subject' => 'We\\'re sorry, :name',
    # the apology itself
    'sorry' => 'We are sorry ' . "for the outage on :date.\\n" . 'It is fixed.',
    "greeting" => "Hello {$user}",
    'nested' => [
        'title' => 'Service restored',   /* inline comment */
        'steps' => array('Reset your password', 'Sign in again'),
    ],
    'count' => 3,
    'call' => __('mail.subject'),
    'path' => 'C:\\\\Users\\\\new',
    'sign_off' => "The Acme team \\u{1F44B}",
];
"""


@pytest.fixture
def laravel(tmp_path: Path) -> Path:
    write(tmp_path, "config/app.php", (
        "<?php\n\nreturn [\n    // 'locale' => 'fr',\n"
        "    'locale' => env('APP_LOCALE', 'en'),\n"
        "    'fallback_locale' => env('APP_FALLBACK_LOCALE', 'de'),\n];\n"
    ))
    write(tmp_path, "lang/en.json", LARAVEL_JSON)
    write(tmp_path, "lang/en/mail.php", LARAVEL_MAIL_PHP)
    write(tmp_path, "lang/en/emails/welcome.php", "<?php\nreturn ['title' => 'Welcome!'];\n")
    write(tmp_path, "lang/vendor/courier/en/messages.php",
          "<?php\nreturn array('sent' => 'Your parcel is on its way');\n")
    write(tmp_path, "lang/de/mail.php", "<?php\nreturn ['subject' => 'Entschuldigung'];\n")
    return tmp_path


def test_laravel_json_catalog_by_english_key(laravel: Path) -> None:
    catalogs = find_catalogs(laravel)
    assert catalogs.locale == "en"
    hello = found(catalogs, "Hello :user_name", "laravel")
    assert hello.text == "Hello :user_name" and spans(hello) == [":user_name"]
    assert_exact(hello)
    assert where(hello) == (2, 26)
    sorry = found(catalogs, "We're sorry. It won't happen again.", "laravel")
    assert sorry.placeholders == ()  # the dots of the key are no nesting
    note = found(catalogs, "Note: this is a test", "laravel")
    assert spans(note) == [":incident"]  # not "Note: this", not "https:"
    cafe = found(catalogs, "Café", "laravel")
    assert cafe.text == 'Café "open" 😀 again'
    for i, ch in enumerate(cafe.text):
        written = cafe.source.text[cafe.origins[i]]
        assert written == ch or (written == "\\" and ch in 'é"😀'), (i, ch)
    assert cafe.source.text[cafe.origins[cafe.text.index("😀")]:].startswith("\\ud83d\\ude00")
    assert where(cafe, cafe.text.index("again")) == (5, 46)


def test_laravel_php_catalog_nested_with_comments_and_concatenation(laravel: Path) -> None:
    catalogs = find_catalogs(laravel, "en")
    subject = found(catalogs, "mail.subject", "laravel")
    assert subject.text == "We're sorry, :name" and spans(subject) == [":name"]
    for i, ch in enumerate(subject.text):  # \' maps to its backslash
        assert subject.source.text[subject.origins[i]] == (ch if i != 2 else "\\")
    assert where(subject) == (15, 19)

    sorry = found(catalogs, "mail.sorry", "laravel")
    assert sorry.text == "We are sorry for the outage on :date.\nIt is fixed."
    assert spans(sorry) == [":date"]
    assert where(sorry) == (17, 17)
    assert where(sorry, sorry.text.index("for")) == (17, 35)
    assert where(sorry, sorry.text.index("It is")) == (17, 66)
    newline = sorry.origins[sorry.text.index("\n")]
    assert sorry.source.text[newline : newline + 2] == "\\n"

    assert catalogs.lookup("mail.greeting", "laravel") is None  # {$user}: known at run time
    title = found(catalogs, "mail.nested.title", "laravel")
    assert title.text == "Service restored" and where(title) == (20, 21)
    assert found(catalogs, "mail.nested.steps.1", "laravel").text == "Sign in again"
    assert catalogs.lookup("mail.count", "laravel") is None
    assert catalogs.lookup("mail.call", "laravel") is None
    assert found(catalogs, "mail.path", "laravel").text == "C:\\Users\\new"
    assert found(catalogs, "mail.sign_off", "laravel").text == "The Acme team 👋"
    assert found(catalogs, "emails/welcome.title", "laravel").text == "Welcome!"
    assert found(catalogs, "courier::messages.sent", "laravel").text == (
        "Your parcel is on its way"
    )
    assert catalogs.lookup("mail.missing", "laravel") is None
    assert catalogs.lookup("other::messages.sent", "laravel") is None
    assert catalogs.warnings == []


def test_laravel_old_resources_lang_layout(tmp_path: Path) -> None:
    write(tmp_path, "resources/lang/en/mail.php", (
        "<?php\n\nreturn array(\n    'sorry' => \"We're \\\"really\\\" sorry\",\n);\n"
    ))
    write(tmp_path, "resources/lang/en.json", '{"Thanks": "Thank you"}')
    catalogs = find_catalogs(tmp_path)
    sorry = found(catalogs, "mail.sorry", "laravel")
    assert sorry.text == 'We\'re "really" sorry' and where(sorry) == (4, 17)
    assert found(catalogs, "Thanks", "laravel").text == "Thank you"


def test_laravel_json_wins_over_php_for_the_same_key(tmp_path: Path) -> None:
    write(tmp_path, "lang/en/mail.php", "<?php return ['sorry' => 'from php'];")
    write(tmp_path, "lang/en.json", '{"mail.sorry": "from json"}')
    assert found(find_catalogs(tmp_path), "mail.sorry", "laravel").text == "from json"


# --------------------------------------------------------------------------- Django / gettext

DJANGO_PO = """\
# Acme translations.
# Copyright (C) 2024 Acme
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: acme 1.0\\n"
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#: incidents/templates/incidents/email.html:3
msgid "We apologise for the outage."
msgstr "We are sorry for the outage."

#: incidents/templates/incidents/email.html:7
#, python-format
msgid "Hello %(name)s"
msgstr ""
"Hello %(name)s, "
"we are \\"really\\" sorry.\\n"
"The Acme team"

#, fuzzy
msgid "Your data is safe."
msgstr "Your data was never at risk."

msgid "Untranslated"
msgstr ""

msgctxt "email subject"
msgid "Outage"
msgstr "Service disruption"

msgid "One account was affected."
msgid_plural "%(count)s accounts were affected."
msgstr[0] "One account was affected."
msgstr[1] "%(count)s accounts were affected."

#~ msgid "Old message"
#~ msgstr "Obsolete text"
"""


@pytest.fixture
def django(tmp_path: Path) -> Path:
    write(tmp_path, "acme/settings.py",
          'DEBUG = False\n# LANGUAGE_CODE = "fr"\nLANGUAGE_CODE = "en-us"\n')
    write(tmp_path, "locale/en/LC_MESSAGES/django.po", DJANGO_PO)
    write(tmp_path, "incidents/locale/en/LC_MESSAGES/django.po", (
        'msgid "We apologise for the outage."\nmsgstr "App-level text (the project wins)"\n\n'
        'msgid "Status page"\nmsgstr "Our status page"\n'
    ))
    write(tmp_path, "locale/de/LC_MESSAGES/django.po",
          'msgid "Status page"\nmsgstr "Statusseite"\n')
    return tmp_path


def test_django_po_msgstr_by_msgid(django: Path) -> None:
    catalogs = find_catalogs(django)
    assert catalogs.locale == "en"
    entry = found(catalogs, "We apologise for the outage.", "gettext")
    assert entry.text == "We are sorry for the outage."
    assert entry.source.path.endswith("locale/en/LC_MESSAGES/django.po")
    assert_exact(entry)
    assert where(entry) == (14, 9)

    hello = found(catalogs, "Hello %(name)s", "gettext")
    assert hello.text == 'Hello %(name)s, we are "really" sorry.\nThe Acme team'
    assert spans(hello) == ["%(name)s"]
    assert where(hello) == (20, 2)
    assert where(hello, hello.text.index("we are")) == (21, 2)
    assert where(hello, hello.text.index("The Acme")) == (22, 2)
    quote = hello.origins[hello.text.index('"really')]
    assert hello.source.text[quote : quote + 2] == '\\"'

    assert catalogs.lookup("Your data is safe.", "gettext") is None  # fuzzy
    assert catalogs.lookup("Untranslated", "gettext") is None  # the caller uses the msgid
    assert catalogs.lookup("Old message", "gettext") is None  # obsolete
    assert catalogs.lookup("Outage", "gettext") is None  # only with its context
    assert found(catalogs, "email subject\x04Outage", "gettext").text == "Service disruption"
    assert found(catalogs, "%(count)s accounts were affected.", "gettext").text == (
        "%(count)s accounts were affected."
    )
    assert found(catalogs, "Status page", "gettext").text == "Our status page"  # app folder
    assert catalogs.warnings == []


def test_django_language_code_and_other_locale(django: Path) -> None:
    assert default_locale(django) == "en"
    german = find_catalogs(django, "de")
    assert found(german, "Status page", "gettext").text == "Statusseite"
    assert german.lookup("We apologise for the outage.", "gettext") is None


def test_po_regional_folder_matches_the_language(tmp_path: Path) -> None:
    write(tmp_path, "translations/en_US/LC_MESSAGES/messages.po",
          'msgid "Sorry"\nmsgstr "We are sorry"\n')
    entry = found(find_catalogs(tmp_path, "en"), "Sorry", "gettext")
    assert entry.text == "We are sorry" and where(entry) == (2, 9)


# --------------------------------------------------------------------------- Go forges

GITEA_EN = """\
home = Home
dashboard = Dashboard
; a comment
# another comment

[mail]
view_it_on = View it on %s
activate_account = Please activate your account
reset_password.text = "Please click the link below to recover your account within <b>%s</b>:"
issue.x_mentioned_you = `<b>@%s</b> mentioned you:`
repo.transfer.body = To accept or reject it visit %[1]s or ignore it; it expires in %[2]d days.

[repo.settings]
title = Repository settings
"""


def test_gitea_ini_sections_and_region_fallback(tmp_path: Path) -> None:
    write(tmp_path, "options/locale/locale_en-US.ini", GITEA_EN)
    write(tmp_path, "options/locale/locale_de-DE.ini", "[mail]\nview_it_on = Auf %s ansehen\n")
    catalogs = find_catalogs(tmp_path)
    assert catalogs.locale == "en"  # "en" reads locale_en-US.ini
    entry = found(catalogs, "mail.activate_account", "go")
    assert entry.text == "Please activate your account"
    assert_exact(entry)
    assert where(entry) == (8, 20)
    view = found(catalogs, "mail.view_it_on", "go")
    assert spans(view) == ["%s"]
    quoted = found(catalogs, "mail.reset_password.text", "go")
    assert quoted.text.startswith("Please click") and quoted.text.endswith("</b>:")
    assert where(quoted) == (9, 24)
    backtick = found(catalogs, "mail.issue.x_mentioned_you", "go")
    assert backtick.text == "<b>@%s</b> mentioned you:"
    transfer = found(catalogs, "mail.repo.transfer.body", "go")
    assert spans(transfer) == ["%[1]s", "%[2]d"]
    assert "; it expires" in transfer.text  # no inline comments in Gitea's locales
    assert found(catalogs, "home", "go").text == "Home"  # before any section
    assert found(catalogs, "repo.settings.title", "go").text == "Repository settings"
    assert catalogs.lookup("mail.missing", "go") is None
    assert found(find_catalogs(tmp_path, "de"), "mail.view_it_on", "go").text == "Auf %s ansehen"


def test_gogs_conf_locale(tmp_path: Path) -> None:
    write(tmp_path, "conf/locale/locale_en-US.ini",
          "[mail]\nactivate_account = Please activate your account\n")
    entry = found(find_catalogs(tmp_path, "en-US"), "mail.activate_account", "go")
    assert entry.source.path.endswith("conf/locale/locale_en-US.ini")
    assert where(entry) == (2, 20)


# --------------------------------------------------------------------------- i18next, Hugo

def test_i18next_namespaces_nesting_and_plurals(tmp_path: Path) -> None:
    write(tmp_path, "public/locales/en/translation.json", (
        '{\n  "outage": {\n    "title": "We are sorry, {{name}}",\n'
        '    "body": "Our service was down for {{duration}} minutes."\n  },\n'
        '  "account_one": "{{count}} account",\n  "account_other": "{{count}} accounts"\n}\n'
    ))
    write(tmp_path, "public/locales/en/emails.json",
          '{"apology": {"subject": "An apology from {company}"}, "sign": "Maya"}')
    write(tmp_path, "public/locales/en/common.json", '{"footer": "Acme Inc.", "sign": "Acme"}')
    catalogs = find_catalogs(tmp_path)
    title = found(catalogs, "outage.title", "i18next")
    assert title.text == "We are sorry, {{name}}" and spans(title) == ["{{name}}"]
    assert_exact(title)
    assert where(title) == (3, 15)
    assert found(catalogs, "account", "i18next").text == "{{count}} accounts"
    subject = found(catalogs, "emails:apology.subject", "i18next")
    assert subject.text == "An apology from {company}" and spans(subject) == ["{company}"]
    assert found(catalogs, "footer", "i18next").text == "Acme Inc."  # in one namespace only
    assert catalogs.lookup("emails:apology.missing", "i18next") is None
    assert catalogs.lookup("sign", "i18next") is None  # two namespaces: which one is unknown
    assert found(catalogs, "common:sign", "i18next").text == "Acme"
    assert catalogs.lookup("apology.subject", "i18next").text == subject.text  # type: ignore[union-attr]


def test_i18next_single_file_rooted_by_locale(tmp_path: Path) -> None:
    write(tmp_path, "locales/en.json", '{"en": {"translation": {"sorry": "Sorry!"}}}')
    catalogs = find_catalogs(tmp_path)
    assert found(catalogs, "translation:sorry", "i18next").text == "Sorry!"
    assert found(catalogs, "translation.sorry", "i18next").text == "Sorry!"


HUGO_TOML = '''\
# Hugo i18n
home = "Home"

[wordCount]
one = "One word"
other = "{{ .Count }} words"

[apology]
other = """
We are sorry.
The site was down."""

[literal]
other = 'C:\\no\\escapes'

[escaped]
other = "Tab\\there \\u00e9"
'''


def test_hugo_toml_and_yaml(tmp_path: Path) -> None:
    write(tmp_path, "config.toml",
          'baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n')
    write(tmp_path, "i18n/en.toml", HUGO_TOML)
    write(tmp_path, "themes/ananke/i18n/en.yaml",
          "home: Theme home\nreadMore:\n  other: Read more\n")
    catalogs = find_catalogs(tmp_path)
    home = found(catalogs, "home", "i18next")
    assert home.text == "Home" and where(home) == (2, 9)  # the project's, not the theme's
    words = found(catalogs, "wordCount", "i18next")
    assert words.text == "{{ .Count }} words" and spans(words) == ["{{ .Count }}"]
    assert_exact(words)
    apology = found(catalogs, "apology", "i18next")
    assert apology.text == "We are sorry.\nThe site was down."
    assert_exact(apology)
    assert where(apology) == (10, 1)
    literal = found(catalogs, "literal", "i18next")
    assert literal.text == "C:\\no\\escapes" and where(literal) == (14, 10)
    escaped = found(catalogs, "escaped.other", "i18next")
    assert escaped.text == "Tab\there é"
    assert where(escaped, escaped.text.index("here")) == (17, 15)
    more = found(catalogs, "readMore", "i18next")
    assert more.text == "Read more" and where(more) == (3, 10)
    assert more.source.path.endswith("themes/ananke/i18n/en.yaml")


def test_hugo_go_i18n_v1_lists(tmp_path: Path) -> None:
    write(tmp_path, "i18n/en.yaml", "- id: home\n  translation: Home page\n")
    entry = found(find_catalogs(tmp_path), "home", "i18next")
    assert entry.text == "Home page" and where(entry) == (2, 16)


# --------------------------------------------------------------------------- locales

def test_default_locale_from_each_framework(tmp_path: Path) -> None:
    rails = write(tmp_path, "rails/config/application.rb",
                  "class App\n  config.i18n.default_locale = :de\nend\n").parents[1]
    assert default_locale(rails) == "de"
    laravel = write(tmp_path, "laravel/config/app.php",
                    "<?php\nreturn [\n    'locale' => 'fr',\n];\n").parents[1]
    assert default_locale(laravel) == "fr"
    env = write(tmp_path, "env/config/app.php",
                "<?php\nreturn ['locale' => env('APP_LOCALE', 'pl')];\n").parents[1]
    assert default_locale(env) == "pl"
    django = write(tmp_path, "django/project/settings/base.py",
                   "LANGUAGE_CODE = 'pt-br'\n").parents[2]
    assert default_locale(django) == "pt"
    only_german = write(tmp_path, "german/lang/de.json", '{"a": "b"}').parents[1]
    assert default_locale(only_german) == "de"
    english_too = write(tmp_path, "both/locales/en-GB.json", "{}").parents[1]
    write(english_too, "locales/de.json", "{}")
    assert default_locale(english_too) == "en"
    two_others = write(tmp_path, "two/locales/fr.json", "{}").parents[1]
    write(two_others, "locales/de.json", "{}")
    assert default_locale(two_others) == "en"
    assert default_locale(tmp_path / "nothing-here") == "en"


def test_locale_fallbacks_both_ways(tmp_path: Path) -> None:
    write(tmp_path, "config/locales/en.yml", "en:\n  sorry: Sorry\n")
    for asked in ("en", "en-US", "en_GB", "EN-us"):
        assert found(find_catalogs(tmp_path, asked), "sorry", "rails").text == "Sorry"
    assert find_catalogs(tmp_path, "de").lookup("sorry", "rails") is None

    regional = tmp_path / "regional"
    write(regional, "config/locales/en-US.yml", "en-US:\n  sorry: Sorry (US)\n")
    write(regional, "config/locales/en-GB.yml", "en-GB:\n  sorry: Sorry (GB)\n")
    assert found(find_catalogs(regional, "en"), "sorry", "rails").text == "Sorry (US)"
    assert found(find_catalogs(regional, "en_GB"), "sorry", "rails").text == "Sorry (GB)"

    assert locale_chain("en-US", {"en", "en-us"}) == ["en-us", "en"]
    assert locale_chain("de", {"de-at", "de-de"}) == ["de-de"]
    assert locale_chain("fr", {"en"}) == []


def test_per_key_fallback_from_region_to_language(tmp_path: Path) -> None:
    write(tmp_path, "config/locales/en.yml", "en:\n  a: colour\n  b: only in en\n")
    write(tmp_path, "config/locales/en-GB.yml", "en-GB:\n  a: colour (GB)\n")
    catalogs = find_catalogs(tmp_path, "en-GB")
    assert found(catalogs, "a", "rails").text == "colour (GB)"
    assert found(catalogs, "b", "rails").text == "only in en"


# --------------------------------------------------------------------------- placeholders

@pytest.mark.parametrize(("text", "style", "expected"), [
    ("Hi %{name}, you owe %<amount>.2f", "rails", ["%{name}", "%<amount>.2f"]),
    ("Hello :user_name, see :link.", "laravel", [":user_name", ":link"]),
    ("Note: this is https://x.example and 10:30", "laravel", []),
    ("Hello :name", "rails", []),
    ("{{count}} items for {name} in {0} and {1:N2}", "i18next", ["{{count}}", "{name}", "{0}",
                                                                "{1:N2}"]),
    ("%(name)s paid %d%% of %s", "gettext", ["%(name)s", "%d", "%s"]),
    ("%[1]s moved %[2]d issues, %v", "go", ["%[1]s", "%[2]d", "%v"]),
    ("50% discount, 100% sure", "gettext", []),
])
def test_placeholders(text: str, style: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in find_placeholders(text, style)] == expected


# --------------------------------------------------------------------------- finding files

def test_files_lists_conventional_places_only(tmp_path: Path) -> None:
    write(tmp_path, "config/locales/en.yml", "en:\n  a: b\n")
    write(tmp_path, "config/locales/.hidden/en.yml", "en:\n  a: hidden\n")
    write(tmp_path, "config/locales/node_modules/en.yml", "en:\n  a: module\n")
    write(tmp_path, "node_modules/pkg/locales/en.json", '{"a": "b"}')
    write(tmp_path, "docs/en.yml", "en:\n  a: docs\n")
    write(tmp_path, "lang/en.json", "{}")
    write(tmp_path, "options/locale/locale_en-US.ini", "a = b\n")
    write(tmp_path, "shop/locale/en/LC_MESSAGES/django.po", "")
    write(tmp_path, "i18n/en.toml", "")
    catalogs = find_catalogs(tmp_path)
    names = sorted(Path(p).relative_to(tmp_path).as_posix() for p in catalogs.files())
    assert names == [
        "config/locales/en.yml", "i18n/en.toml", "lang/en.json",
        "options/locale/locale_en-US.ini", "shop/locale/en/LC_MESSAGES/django.po",
    ]
    assert found(catalogs, "a", "rails").text == "b"


def test_lazy_and_each_file_read_once(tmp_path: Path) -> None:
    path = write(tmp_path, "config/locales/en.yml", "en:\n  a: first\n")
    write(tmp_path, "lang/en.json", "{ broken")
    catalogs = find_catalogs(tmp_path)
    assert catalogs.warnings == []  # listing reads nothing
    assert found(catalogs, "a", "rails").text == "first"
    path.write_text("en:\n  a: changed\n", encoding="utf-8")
    assert found(catalogs, "a", "rails").text == "first"  # parsed once, kept
    assert catalogs.warnings == []  # the broken JSON is not read until Laravel asks
    assert catalogs.lookup("x", "laravel") is None
    assert catalogs.lookup("y", "laravel") is None
    assert len(catalogs.warnings) == 1 and "lang/en.json" in catalogs.warnings[0]
    with pytest.raises(ValueError, match="unknown catalog style"):
        catalogs.lookup("a", "django")


# --------------------------------------------------------------------------- hostile files

BILLION_LAUGHS = """\
en:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_hostile_catalogs_are_skipped_with_a_warning_and_fast(tmp_path: Path) -> None:
    write(tmp_path, "config/locales/en.yml", "en:\n  sorry: We are sorry.\n")
    write(tmp_path, "config/locales/broken.en.yml", "en:\n  a: [unclosed\n  b: x\n")
    write(tmp_path, "config/locales/bomb.en.yml", BILLION_LAUGHS)
    write(tmp_path, "config/locales/recursive.en.yml", "en: &x\n  self: *x\n  ok: fine\n")
    write(tmp_path, "config/locales/big.en.yml", "en:\n" + "  k: " + "x" * (10 * 1024 * 1024))
    write(tmp_path, "config/locales/binary.en.yml", bytes(range(256)) * 10)
    write(tmp_path, "config/locales/cp1252.en.yml",
          "en:\n  cafe: Caf\xe9 ouvert\n".encode("cp1252"))
    write(tmp_path, "config/locales/bom.en.yml", b"\xef\xbb\xbfen:\n  bom: With a BOM\n")
    os.mkfifo(tmp_path / "config/locales/fifo.en.yml")
    os.symlink("loop.en.yml", tmp_path / "config/locales/loop.en.yml")
    os.symlink("/dev/zero", tmp_path / "config/locales/zero.en.yml")
    os.symlink("..", tmp_path / "config/locales/up")  # a folder loop
    write(tmp_path, "lang/en.json", '{"a": ' * 100_000)
    write(tmp_path, "lang/de.json", "[" * 100_000 + "]" * 100_000)
    write(tmp_path, "lang/en/mail.php", "<?php return ['a' => 'unterminated];")
    write(tmp_path, "lang/en/deep.php", "<?php return " + "[" * 5000 + "]" * 5000 + ";")
    write(tmp_path, "lang/en/none.php", "<?php echo 'no array';")
    write(tmp_path, "options/locale/locale_en-US.ini", "[mail\nno delimiter here\n")
    write(tmp_path, "locale/en/LC_MESSAGES/django.po", 'msgid "a"\nmsgstr "b\ngarbage\n')
    write(tmp_path, "i18n/en.toml", "a = \n[[[")

    started = time.perf_counter()
    catalogs = find_catalogs(tmp_path)
    sorry = found(catalogs, "sorry", "rails")
    for style in ("laravel", "go", "gettext", "i18next"):
        assert catalogs.lookup("a", style) is None
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed

    assert sorry.text == "We are sorry."
    assert found(catalogs, "ok", "rails").text == "fine"  # the recursive alias is cut off
    cafe = found(catalogs, "cafe", "rails")
    assert cafe.text == "Café ouvert" and where(cafe) == (2, 9)
    assert found(catalogs, "bom", "rails").text == "With a BOM"
    warned = "\n".join(catalogs.warnings)
    for name, reason in [
        ("broken.en.yml", "invalid YAML"), ("bomb.en.yml", "alias bomb"),
        ("big.en.yml", "larger than"), ("binary.en.yml", "binary"),
        ("cp1252.en.yml", "cp1252"), ("fifo.en.yml", "not a regular file"),
        ("loop.en.yml", "cannot open"), ("zero.en.yml", "not a regular file"),
        ("lang/en.json", "invalid JSON"), ("lang/de.json", "invalid JSON"),
        ("mail.php", "unterminated string"), ("none.php", "no `return"),
        ("locale_en-US.ini", "unclosed section"), ("django.po", "line 2"),
        ("en.toml", "invalid TOML"),
    ]:
        assert any(name in w and reason in w for w in catalogs.warnings), (name, warned)
    assert "deep.php" not in warned  # read, its depth cut at 64
    assert all(w.count("\n") == 0 for w in catalogs.warnings)


def test_unreadable_root_and_nothing_found(tmp_path: Path) -> None:
    catalogs = find_catalogs(tmp_path / "missing")
    assert catalogs.files() == () and catalogs.locale == "en"
    assert catalogs.lookup("a", "rails") is None and catalogs.warnings == []


def test_many_folders_are_looked_at_boundedly(tmp_path: Path) -> None:
    for i in range(300):
        (tmp_path / "config/locales" / f"d{i:03}").mkdir(parents=True)
    write(tmp_path, "config/locales/en.yml", "en:\n  a: b\n")
    started = time.perf_counter()
    catalogs = find_catalogs(tmp_path)
    assert found(catalogs, "a", "rails").text == "b"
    assert time.perf_counter() - started < 5


def test_mutated_catalogs_never_raise_anything_but_a_catalog_error() -> None:
    """Seeded mutations of the catalogs above (quotes, escapes, brackets, heredocs and
    aliases dropped in at random places): every reader either refuses the file with a
    CatalogError or returns entries whose origins all lie in the file."""
    import random

    from apologylint.model import Source
    from apologylint.project.catalogs import (
        CatalogError,
        read_ini,
        read_json,
        read_php,
        read_po,
        read_toml,
        read_yaml,
    )

    readers = [(read_yaml, RAILS_EN), (read_yaml, BILLION_LAUGHS), (read_php, LARAVEL_MAIL_PHP),
               (read_json, LARAVEL_JSON), (read_po, DJANGO_PO), (read_ini, GITEA_EN),
               (read_toml, HUGO_TOML)]
    pieces = [*"\"'\\\n\r\t :{}[](),.=>#;$|&*`", "\\u00e9", "\\x4", "''", '"""', "<<<EOT\n",
              "\nEOT", "msgid ", "[mail]", "&a ", "*a", "<<: ", "{$x}", "/*"]
    rng = random.Random(2024)
    refused = 0
    for reader, original in readers:
        for _ in range(150):
            text = original
            for _ in range(rng.randint(1, 5)):
                at = rng.randrange(len(text) + 1)
                if rng.random() < 0.6:
                    text = text[:at] + rng.choice(pieces) + text[at:]
                else:
                    text = text[:at] + text[at + rng.randint(1, 8):]
            try:
                entries = reader(Source("mutated", text))
            except CatalogError:
                refused += 1
                continue
            for entry in entries.values():
                assert len(entry.origins) == len(entry.text)
                assert all(-1 <= o < len(text) for o in entry.origins)
    assert 0 < refused < 7 * 150  # both outcomes were exercised


def test_symfony_xliff_and_yaml_catalogs(tmp_path: Path) -> None:
    """Symfony's translations/<domain>.<locale>.xlf (1.2 and 2.0) and .yaml: the target
    under its resname/id, entities resolved at their '&', markup inside dropped."""
    translations = tmp_path / "translations"
    translations.mkdir()
    xlf = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">\n'
        '  <file source-language="en" target-language="en" datatype="plaintext">\n'
        "    <body>\n"
        '      <trans-unit id="a1" resname="reset.title">\n'
        "        <source>reset.title</source>\n"
        "        <target>Sign in to Kimai &amp; reset</target>\n"
        "      </trans-unit>\n"
        '      <trans-unit id="a2" resname="reset.intro">\n'
        "        <source>reset.intro</source>\n"
        "        <target>Hello %username%, we are <b>sorry</b>.</target>\n"
        "      </trans-unit>\n"
        "    </body>\n  </file>\n</xliff>\n"
    )
    (translations / "email.en.xlf").write_text(xlf, encoding="utf-8")
    (translations / "messages.en.yaml").write_text(
        "mail:\n  sorry: We are sorry about Monday.\n", encoding="utf-8")
    (translations / "messages.de.yaml").write_text(
        "mail:\n  sorry: Es tut uns leid.\n", encoding="utf-8")
    catalogs = find_catalogs(tmp_path, "en")
    title = catalogs.lookup("reset.title", "symfony")
    assert title is not None and title.text == "Sign in to Kimai & reset"
    amp = title.text.index("&")
    assert title.source.text[title.origins[amp] : title.origins[amp] + 5] == "&amp;"
    assert title.source.text[title.origins[0] : title.origins[0] + 7] == "Sign in"
    intro = catalogs.lookup("reset.intro", "symfony")
    assert intro is not None and intro.text == "Hello %username%, we are sorry."
    assert intro.placeholders == ((6, 16),)
    sorry = catalogs.lookup("mail.sorry", "symfony")
    assert sorry is not None and sorry.text == "We are sorry about Monday."
    assert sorry.source.line_col(sorry.origins[0]) == (2, 10)
    assert catalogs.lookup("reset.missing", "symfony") is None


def test_xliff_entities_are_never_expanded(tmp_path: Path) -> None:
    translations = tmp_path / "translations"
    translations.mkdir()
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" * 1 if i else "&lol;"}'
                      f'{("&lol" + str(i - 1) + ";") * 9 if i else ""}">' for i in range(1, 9))
            + ']>\n<xliff><file><body><trans-unit resname="a"><source>a</source>'
            "<target>&lol8; sorry</target></trans-unit></body></file></xliff>\n")
    (translations / "messages.en.xlf").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    entry = find_catalogs(tmp_path, "en").lookup("a", "symfony")
    assert time.perf_counter() - started < 2
    assert entry is not None and entry.text == "&lol8; sorry"


def test_symfony_messages_domain_wins_and_xliff2_units_are_keyed_by_name(
        tmp_path: Path) -> None:
    """A ``|trans`` without a domain reads ``messages``: its key wins over the same key
    of ``email``. An XLIFF 2.0 ``<unit name="...">`` is keyed by its name, as Symfony's
    loader does."""
    write(tmp_path, "translations/email.en.yaml", "subject: Email domain words\n")
    write(tmp_path, "translations/messages.en.yaml", "subject: Messages domain words\n")
    write(tmp_path, "translations/security.en.xlf",
          '<xliff version="2.0"><file id="f"><unit id="u1" name="reset.sorry"><segment>'
          "<source>reset.sorry</source><target>We are sorry.</target></segment></unit>"
          "</file></xliff>\n")
    catalogs = find_catalogs(tmp_path, "en")
    assert found(catalogs, "subject", "symfony").text == "Messages domain words"
    sorry = found(catalogs, "reset.sorry", "symfony")
    assert sorry.text == "We are sorry."
    assert sorry.source.text[sorry.origins[0]:].startswith("We are sorry.</target>")


@pytest.mark.parametrize(("name", "make"), [
    # a run of blanks before a character the value does not have (YAML's NEL break)
    ("messages.en.yaml", lambda n: 'k: "a\n' + " " * n + "\x85" + "x " * n + '"\n'),
    # units that never close but the last; a unit with many <source>s; markup, no "&"
    ("messages.en.xlf", lambda n: "<trans-unit>" * (n // 12) + "</trans-unit>"),
    ("messages.en.xlf", lambda n: "<trans-unit>" + "<source>" * (n // 8) + "</trans-unit>"),
    ("messages.en.xlf", lambda n: "<trans-unit resname='a'><source>x" + "<b>" * (n // 3)
     + "</source></trans-unit>"),
])
def test_hostile_catalogs_are_read_in_linear_time(
        tmp_path: Path, name: str, make: object) -> None:
    """Each once took time quadratic in its size (0.24 MB of the first: 196 s)."""
    assert callable(make)
    timings = []
    for n in (40_000, 160_000):
        folder = tmp_path / str(n)
        write(folder, f"translations/{name}", make(n))
        started = time.perf_counter()
        find_catalogs(folder, "en").lookup("k", "symfony")
        timings.append(time.perf_counter() - started)
    assert timings[1] < 2.0 and timings[1] < 8 * timings[0] + 0.2


def test_catalog_keys_cannot_repeat_a_long_parent_key_into_every_value(
        tmp_path: Path) -> None:
    """One 20,000-character parent key over 20,000 values would be 400 MB of keys: the
    file is skipped with a warning (a real key path is a few dozen characters)."""
    values = ",".join(f'"k{i}": "v"' for i in range(20_000))
    write(tmp_path, "locales/en.json", '{"' + "p" * 20_000 + '": {' + values + "}}")
    write(tmp_path, "locales/de.json", '{"sorry": "Es tut uns leid"}')
    catalogs = find_catalogs(tmp_path, "en")
    assert catalogs.lookup("k1", "i18next") is None
    assert any("key path longer than" in w for w in catalogs.warnings)


def test_a_yaml_value_aliased_many_times_is_placed_once(tmp_path: Path) -> None:
    """``k: *x`` a thousand times: each key gets the anchored value, and its places are
    worked out once and shared (they were rebuilt per alias: memory quadratic)."""
    text = "en:\n  a: &x " + "sorry " * 2000 + "\n" + "".join(
        f"  k{i}: *x\n" for i in range(1000))
    write(tmp_path, "config/locales/en.yml", text)
    catalogs = find_catalogs(tmp_path, "en")
    first, last = found(catalogs, "k0", "rails"), found(catalogs, "k999", "rails")
    assert first.text == last.text == ("sorry " * 2000).strip()
    assert first.origins is last.origins
    assert text[first.origins[0] : first.origins[0] + 5] == "sorry"


def test_a_php_lang_file_of_endless_tokens_is_refused_not_read_into_gigabytes(
        tmp_path: Path) -> None:
    write(tmp_path, "lang/en/flood.php", "<?php return [" + "1," * 310_000 + "];")
    write(tmp_path, "lang/en/mail.php", "<?php return ['sorry' => 'We are sorry.'];")
    catalogs = find_catalogs(tmp_path, "en")
    assert found(catalogs, "mail.sorry", "laravel").text == "We are sorry."
    assert any("flood.php" in w and "PHP tokens" in w for w in catalogs.warnings)
