"""Template engines' own syntaxes: ERB (Rails), Blade (Laravel), Go templates (Gitea, Hugo),
the Django/Jinja/Twig/Nunjucks details, the ``engine`` hint, translation calls
(:func:`i18n_call`), references between templates (:func:`template_reference`) and the
default suggested in each engine's own form (:func:`fallback_example`).

The snippets are written as the real projects write their mail views: a Rails mailer's
``.html.erb``, a Laravel ``.blade.php`` mail, a Gitea ``.tmpl``, a Django ``_message.txt``.
Spans are checked against the text (``text[start:end]`` is the tag, found in file order).
"""

from __future__ import annotations

import time

import pytest

from apologylint.loaders.templating import (
    TEMPLATE_ENGINES,
    FoundTag,
    I18nCall,
    TemplateRef,
    find_template_tags,
    i18n_call,
    mask_intervals,
    template_reference,
    to_template_tags,
)
from apologylint.rules.templates import dialect_marks, fallback_example


def _texts(text: str, engine: str | None = None) -> list[tuple[str, str]]:
    """(tag text, syntax) of every tag, in file order."""
    return [(text[t.start : t.end], t.syntax) for t in find_template_tags(text, engine=engine)]


def _expected_spans(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Where each piece stands, searched in order (so repeated tags get their own spans)."""
    spans = []
    at = 0
    for piece in pieces:
        at = text.index(piece, at)
        spans.append((at, at + len(piece)))
        at += len(piece)
    return spans


def _outputs(text: str, engine: str | None = None) -> list[FoundTag]:
    return [t for t in find_template_tags(text, engine=engine) if not t.is_control]


def _only_output(text: str, engine: str | None = None) -> FoundTag:
    [tag] = _outputs(text, engine)
    return tag


# -- ERB (Rails mailer views) ---------------------------------------------------------------

RAILS_MAILER = """\
<%# app/views/order_mailer/delay_apology.html.erb %>
<h1><%= t(".heading") %></h1>
<% if @customer.first_name.present? %>
  <p>Hi <%= @customer.first_name %>,</p>
<% else %>
  <p>Hi <%= @customer.first_name %>,</p>
<% end %>
<p>We're sorry: order <%= @order.number %> left our depot a week late.</p>
<ul>
<% @order.line_items.each do |item| %>
  <li><%= item.name %> &times; <%= item.quantity %></li>
<% end %>
</ul>
<%= render "shared/support_footer", order: @order %>
"""

RAILS_TAGS = [
    ("<%# app/views/order_mailer/delay_apology.html.erb %>", True, ""),
    ('<%= t(".heading") %>', False, ""),
    ("<% if @customer.first_name.present? %>", True, "if"),
    ("<%= @customer.first_name %>", False, ""),
    ("<% else %>", True, "else"),
    ("<%= @customer.first_name %>", False, ""),
    ("<% end %>", True, "end"),
    ("<%= @order.number %>", False, ""),
    ("<% @order.line_items.each do |item| %>", True, "loop"),
    ("<%= item.name %>", False, ""),
    ("<%= item.quantity %>", False, ""),
    ("<% end %>", True, "end"),
    ('<%= render "shared/support_footer", order: @order %>', False, ""),
]


@pytest.mark.parametrize("engine", [None, "erb"])
def test_erb_tags_have_exact_spans(engine: str | None) -> None:
    tags = find_template_tags(RAILS_MAILER, engine=engine)
    pieces = [piece for piece, _, _ in RAILS_TAGS]
    assert [(t.start, t.end) for t in tags] == _expected_spans(RAILS_MAILER, pieces)
    assert {t.syntax for t in tags} == {"erb"}
    assert [(t.is_control, t.keyword) for t in tags] == [(c, k) for _, c, k in RAILS_TAGS]


def test_erb_if_guard_covers_its_branch_only() -> None:
    first, second = (t for t in _outputs(RAILS_MAILER) if t.name == "customer.first_name")
    assert first.has_fallback and not second.has_fallback


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("<%= @user.first_name %>", "user.first_name"),
        ("<%= @user.first_name.capitalize %>", "user.first_name"),
        ("<%= @user.first_name.strip.titleize %>", "user.first_name"),
        ("<%= @customer.full_name.squish.html_safe %>", "customer.full_name"),
        ("<%= h(@user.first_name) %>", "user.first_name"),
        ("<%= h @user.first_name %>", "user.first_name"),
        ("<%= @user[:first_name] %>", "user.first_name"),
        ("<%= @user.try(:first_name) %>", "user.first_name"),
        ("<%= @user&.first_name %>", "user.first_name"),
        ("<%== @user.first_name %>", "user.first_name"),
        ("<%= @user.first_name -%>", "user.first_name"),
        ("<%= first_name %>", "first_name"),  # a partial's local
        ("<%= @user.first_name.to_s.upcase %>", "user.first_name"),
        ('<%= t(".greeting", name: @user.first_name) %>', ""),  # a translation, no field
        ("<%= yield %>", ""),
        ("<%= number_to_currency(@order.total) %>", ""),
    ],
)
def test_erb_field_names(tag: str, name: str) -> None:
    assert _only_output(f"<p>Hi {tag},</p>").name == name


@pytest.mark.parametrize(
    ("tag", "fallback"),
    [
        ('<%= @user.first_name || "there" %>', True),
        ("<%= @user.first_name.presence || 'there' %>", True),
        ('<%= @user.first_name.present? ? @user.first_name : "there" %>', True),
        ('<%= @user.first_name.blank? ? "there" : @user.first_name %>', True),
        ('<%= (@user.first_name || "there") %>', True),
        ('<%= @user.first_name or "there" %>', True),
        ('<%= @user.first_name || "" %>', False),
        ("<%= @user.first_name.presence || '' %>", False),
        ("<%= @user.first_name || nil %>", False),
        ('<%= @user.first_name.present? ? @user.first_name : "" %>', False),
        ("<%= @user.first_name if @user.first_name.present? %>", False),  # prints nothing
        ("<%= @user.first_name %>", False),
    ],
)
def test_erb_fallbacks(tag: str, fallback: bool) -> None:
    tag_found = _only_output(f"Hi {tag},")
    assert (tag_found.name, tag_found.has_fallback) == ("user.first_name", fallback)


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("<% if @user.first_name.present? %>Hi <%= @user.first_name %><% end %>", True),
        ("<% if @user.first_name %>Hi <%= @user.first_name %><% end %>", True),
        ("<% unless @user.first_name.blank? %>Hi <%= @user.first_name %><% end %>", True),
        ("<% if @user.first_name.blank? %>Hi<% else %>Hi <%= @user.first_name %><% end %>", True),
        ("<% if !@user.first_name %>Hi<% else %>Hi <%= @user.first_name %><% end %>", True),
        ("<% if @user.first_name.nil? %>Hi <%= @user.first_name %><% end %>", False),
        ("<% if @user.first_name.present? %>Hi<% else %>Hi <%= @user.first_name %><% end %>",
         False),
        ("<% if @user.last_name.present? %>Hi <%= @user.first_name %><% end %>", False),
        ("<% if @user.first_name.present? %><% end %>Hi <%= @user.first_name %>", False),
        ("<% if @vip %><% elsif @user.first_name.present? %>Hi <%= @user.first_name %><% end %>",
         True),
        ('<% name = @user.first_name.presence || "there" %>Hi <%= name %>', True),
        ("<% name = @user.first_name %>Hi <%= name %>", False),
    ],
)
def test_erb_if_guards(text: str, guarded: bool) -> None:
    *_, last = _outputs(text)
    assert last.has_fallback is guarded


def test_erb_trim_markers() -> None:
    """``<%-`` and ``-%>`` trim whitespace: ``<%- if ... -%>`` is still a condition."""
    text = "<%- if @user.first_name.present? -%>\nHi <%= @user.first_name -%>\n<%- end -%>"
    tags = find_template_tags(text)
    assert [(t.keyword, t.name, t.has_fallback) for t in tags] == [
        ("if", "user.first_name", False), ("", "user.first_name", True), ("end", "", False),
    ]


def test_erb_assignment_is_judged_as_its_field() -> None:
    *_, tag = _outputs("<% greeting_name = @user.first_name %>Dear <%= greeting_name %>")
    assert tag.name == "user.first_name"


def test_erb_blocks_open_and_end() -> None:
    text = (
        '<%= render layout: "spree/shared/mailer_hero" do %>\n'
        "<% @order.shipments.each { |shipment| %><%= shipment.number %><% } %>\n"
        "<% end %>"
    )
    keywords = [(text[t.start : t.end], t.keyword) for t in find_template_tags(text)]
    assert keywords == [
        ('<%= render layout: "spree/shared/mailer_hero" do %>', "open"),
        ("<% @order.shipments.each { |shipment| %>", "loop"),
        ("<%= shipment.number %>", ""),
        ("<% } %>", "end"),
        ("<% end %>", "end"),
    ]


def test_erb_comment_and_escaped_opener() -> None:
    text = "<%# apologylint: disable=AL703 %>Hi <%%= not a tag %> <%= @user.first_name %>"
    tags = find_template_tags(text)
    assert [text[t.start : t.end] for t in tags] == [
        "<%# apologylint: disable=AL703 %>", "<%= @user.first_name %>",
    ]
    assert tags[0].is_comment and tags[0].name == "comment"
    assert mask_intervals(tags)[0] == (tags[0].start, tags[0].end, False)


def test_erb_is_not_read_for_other_engines() -> None:
    text = "Hi <%= @user.first_name %> and {{ first_name }}"
    assert _texts(text, "jinja") == [("{{ first_name }}", "jinja")]
    assert [s for _, s in _texts(text, "erb")] == ["erb", "mustache"]  # {{ }}: by its look


# -- Blade (Laravel mail views) -------------------------------------------------------------

LARAVEL_MAIL = """\
@extends('layouts.mail')

@section('title', 'Sorry about your order')

@section('content')
{{-- resources/views/emails/orders/delayed.blade.php --}}
<style>
  @media (max-width: 600px) { .inner { width: 100% !important; } }
</style>
@if ($order->customer->first_name)
  <p>Hi {{ $order->customer->first_name }},</p>
@else
  <p>Hello,</p>
@endif
<p>{{ __('We are sorry: your order :number is late.', ['number' => $order->number]) }}</p>
@foreach ($order->items as $item)
  <p>{{ $item->name }}</p>
@endforeach
<p>Questions? Write to help@acme.com or reply to this email.</p>
@endsection
"""

LARAVEL_TAGS = [
    ("@extends('layouts.mail')", True, ""),
    ("@section('title', 'Sorry about your order')", True, ""),
    ("@section('content')", True, "open"),
    ("{{-- resources/views/emails/orders/delayed.blade.php --}}", True, ""),
    ("@if ($order->customer->first_name)", True, "if"),
    ("{{ $order->customer->first_name }}", False, ""),
    ("@else", True, "else"),
    ("@endif", True, "end"),
    ("{{ __('We are sorry: your order :number is late.', ['number' => $order->number]) }}",
     False, ""),
    ("@foreach ($order->items as $item)", True, "loop"),
    ("{{ $item->name }}", False, ""),
    ("@endforeach", True, "end"),
    ("@endsection", True, "end"),
]


def test_blade_tags_have_exact_spans() -> None:
    tags = find_template_tags(LARAVEL_MAIL, engine="blade")
    pieces = [piece for piece, _, _ in LARAVEL_TAGS]
    assert [(t.start, t.end) for t in tags] == _expected_spans(LARAVEL_MAIL, pieces)
    assert {t.syntax for t in tags} == {"blade"}
    assert [(t.is_control, t.keyword) for t in tags] == [(c, k) for _, c, k in LARAVEL_TAGS]
    assert tags[3].is_comment
    greeting = tags[5]
    assert (greeting.name, greeting.has_fallback) == ("order.customer.first_name", True)


def test_blade_directives_only_with_the_blade_engine() -> None:
    """``@if``/``@media``/handles in any other file are text; the echo forms are Blade's
    look everywhere."""
    texts = [piece for piece, _ in _texts(LARAVEL_MAIL)]
    assert not any(piece.startswith("@") for piece in texts)
    assert "{{ $order->customer->first_name }}" in texts
    assert "{{-- resources/views/emails/orders/delayed.blade.php --}}" in texts


@pytest.mark.parametrize(
    "text",
    [
        "<style>@media (max-width:600px) { td { display:block } }</style>",
        "<style>@media(max-width:600px){td{display:block}}@supports(display:grid){}</style>",
        "<style>@import url('https://fonts.example/x.css'); @font-face { }</style>",
        "Write to help@acme.com or support@acme.co.uk.",
        "Follow @acme on social media.",
        "Type @@if in the docs to show a directive.",
        "@if( never closed, so no directive",
    ],
)
def test_blade_near_misses_are_no_directives(text: str) -> None:
    assert find_template_tags(text, engine="blade") == []


def test_blade_custom_directive_needs_a_bracket() -> None:
    text = "Sent @datetime($order->shipped_at) by @courier"
    assert _texts(text, "blade") == [("@datetime($order->shipped_at)", "blade")]


def test_blade_arguments_are_balanced_through_strings() -> None:
    text = "@lang('Sorry :) we messed up') and @if(in_array($plan, ['pro', 'team'])) x @endif"
    assert [piece for piece, _ in _texts(text, "blade")] == [
        "@lang('Sorry :) we messed up')", "@if(in_array($plan, ['pro', 'team']))", "@endif",
    ]


def test_blade_php_block_is_one_tag() -> None:
    text = "@php\n  $name = $user->first_name ?? 'there';\n@endphp\n<p>Hi {{ $name }},</p>"
    php, echo = find_template_tags(text, engine="blade")
    assert text[php.start : php.end].startswith("@php") and text[php.start : php.end].endswith(
        "@endphp"
    )
    assert php.is_control and php.assigns == (("name", "user.first_name", True),)
    assert (echo.name, echo.has_fallback) == ("user.first_name", True)


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("{{ $user->first_name }}", "user.first_name"),
        ("{{ $user['first_name'] }}", "user.first_name"),
        ('{{ $user["first_name"] }}', "user.first_name"),
        ("{{ $user?->first_name }}", "user.first_name"),
        ("{{ ucfirst($user->first_name) }}", "user.first_name"),
        ("{{ e($first_name) }}", "first_name"),
        ("{{ Str::title($user->first_name) }}", "user.first_name"),
        ("{{ \\Illuminate\\Support\\Str::title($user->name) }}", "user.name"),
        ("{{ Str::of($user->first_name)->title() }}", "user.first_name"),
        ("{{ $user->first_name->title() }}", "user.first_name"),
        ("{!! $user->first_name !!}", "user.first_name"),
        ("{{ $slot }}", "slot"),
        ("{{ __('Hello') }}", ""),
        ("{{ config('app.name') }}", ""),
        ("{{ $user->first_name . ' ' . $user->last_name }}", ""),
    ],
)
def test_blade_field_names(tag: str, name: str) -> None:
    assert _only_output(f"<p>Hi {tag},</p>", "blade").name == name


@pytest.mark.parametrize(
    ("tag", "fallback"),
    [
        ("{{ $user->first_name ?? 'there' }}", True),
        ("{{ $user->first_name ?: 'there' }}", True),
        ("{{ $user->first_name or 'there' }}", True),  # Laravel 5.6 and older
        ("{{ isset($user->first_name) ? $user->first_name : 'there' }}", True),
        ("{{ empty($user->first_name) ? 'there' : $user->first_name }}", True),
        ("{!! $user->first_name ?? 'there' !!}", True),
        ("{{ $user->first_name ?? '' }}", False),
        ("{{ $user->first_name ?: null }}", False),
        ("{{ $user->first_name }}", False),
    ],
)
def test_blade_fallbacks(tag: str, fallback: bool) -> None:
    found = _only_output(f"Hi {tag},", "blade")
    assert (found.name, found.has_fallback) == ("user.first_name", fallback)


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("@if($user->first_name) Hi {{ $user->first_name }} @endif", True),
        ("@if (!empty($user->first_name)) Hi {{ $user->first_name }} @endif", True),
        ("@isset($user->first_name) Hi {{ $user->first_name }} @endisset", True),
        ("@empty($user->first_name) Hi @else Hi {{ $user->first_name }} @endempty", True),
        ("@unless(empty($user->first_name)) Hi {{ $user->first_name }} @endunless", True),
        ("@if($user->first_name == '') Hi @else Hi {{ $user->first_name }} @endif", True),
        ("@empty($user->first_name) Hi {{ $user->first_name }} @endempty", False),
        ("@if($user->first_name) Hi @else Hi {{ $user->first_name }} @endif", False),
        ("@if($user->last_name) Hi {{ $user->first_name }} @endif", False),
        ("@isset($user->first_name) @endisset Hi {{ $user->first_name }}", False),
    ],
)
def test_blade_if_guards(text: str, guarded: bool) -> None:
    *_, last = _outputs(text, "blade")
    assert last.has_fallback is guarded


def test_blade_forelse_empty_is_its_else() -> None:
    text = "@forelse($items as $item) {{ $item->name }} @empty No items. @endforelse"
    tags = find_template_tags(text, engine="blade")
    assert [t.keyword for t in tags] == ["loop", "", "else", "end"]


def test_blade_escaped_echo_is_left_to_javascript() -> None:
    """``@{{ name }}`` prints ``{{ name }}`` for Vue: a tag, but not Blade's."""
    [tag] = find_template_tags("Hi @{{ name }}", engine="blade")
    assert tag.syntax != "blade" and tag.name == "name"


# -- Go templates (Gitea, Gogs, Hugo) -------------------------------------------------------

GITEA_MAIL = """\
{{/* templates/mail/notify/apology.tmpl */}}
{{define "body"}}
<p>{{.locale.Tr "mail.hi_user_x" .DisplayName}}</p>
{{- /* the greeting falls back to the login name */ -}}
{{with .User.FullName}}<p>Dear {{.}},</p>{{else}}<p>Dear {{.User.Name}},</p>{{end}}
<p>We're sorry: the mail about {{.Repo.FullName}} went to the wrong people.</p>
{{range .Issues}}<li>{{.Title}}</li>{{end}}
{{template "footer" .}}
{{end}}
"""

GITEA_TAGS = [
    ("{{/* templates/mail/notify/apology.tmpl */}}", True, ""),
    ('{{define "body"}}', True, "open"),
    ('{{.locale.Tr "mail.hi_user_x" .DisplayName}}', False, ""),
    ("{{- /* the greeting falls back to the login name */ -}}", True, ""),
    ("{{with .User.FullName}}", True, "if"),
    ("{{.}}", False, ""),
    ("{{else}}", True, "else"),
    ("{{.User.Name}}", False, ""),
    ("{{end}}", True, "end"),
    ("{{.Repo.FullName}}", False, ""),
    ("{{range .Issues}}", True, "loop"),
    ("{{.Title}}", False, ""),
    ("{{end}}", True, "end"),
    ('{{template "footer" .}}', True, ""),
    ("{{end}}", True, "end"),
]


@pytest.mark.parametrize("engine", [None, "go"])
def test_go_tags_have_exact_spans(engine: str | None) -> None:
    """With no engine named, the file's ``{{ .X }}`` tags make it a Go template."""
    tags = find_template_tags(GITEA_MAIL, engine=engine)
    pieces = [piece for piece, _, _ in GITEA_TAGS]
    assert [(t.start, t.end) for t in tags] == _expected_spans(GITEA_MAIL, pieces)
    assert {t.syntax for t in tags} == {"go"}
    assert [(t.is_control, t.keyword) for t in tags] == [(c, k) for _, c, k in GITEA_TAGS]
    assert [t.is_comment for t in tags][:4] == [True, False, False, True]


def test_go_with_scopes_the_dot() -> None:
    outputs = {GITEA_MAIL[t.start : t.end]: t for t in _outputs(GITEA_MAIL, "go")}
    dot = outputs["{{.}}"]
    assert (dot.name, dot.has_fallback) == ("User.FullName", True)  # inside its own with
    assert (outputs["{{.User.Name}}"].name, outputs["{{.User.Name}}"].has_fallback) == (
        "User.Name", False,
    )
    assert outputs["{{.Title}}"].name == "this.Title"  # each issue's, not the recipient's
    assert outputs["{{.Repo.FullName}}"].name == "Repo.FullName"


def test_go_define_pairs_with_its_end_by_keywords() -> None:
    """How the assembling code finds a ``{{define}}``'s body: openers push, ``end`` pops."""
    tags = find_template_tags(GITEA_MAIL, engine="go")
    stack: list[FoundTag] = []
    pairs: dict[str, str] = {}
    for tag in tags:
        if tag.keyword in ("if", "open", "loop"):
            stack.append(tag)
        elif tag.keyword == "end":
            opener = stack.pop()
            pairs[GITEA_MAIL[opener.start : opener.end]] = GITEA_MAIL[tag.start : tag.end]
            if not stack:
                body_end = tag.start
    assert not stack
    assert set(pairs) == {'{{define "body"}}', "{{with .User.FullName}}", "{{range .Issues}}"}
    assert GITEA_MAIL.index('{{template "footer" .}}') < body_end


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("{{.FirstName}}", "FirstName"),
        ("{{ .User.FirstName }}", "User.FirstName"),
        ("{{- .User.FirstName -}}", "User.FirstName"),
        ("{{$.User.FirstName}}", "User.FirstName"),
        ("{{.User.FirstName | html}}", "User.FirstName"),
        ('{{printf "%s" .FirstName}}', "FirstName"),
        ('{{index .User "first_name"}}', "User.first_name"),
        ('{{.locale.Tr "mail.hello"}}', ""),
    ],
)
def test_go_field_names(tag: str, name: str) -> None:
    assert _only_output(f"<p>Hi {tag},</p>", "go").name == name


@pytest.mark.parametrize(
    ("tag", "fallback"),
    [
        ('{{or .FirstName "there"}}', True),
        ('{{ or .FirstName .Login }}', True),
        ('{{.FirstName | default "there"}}', True),
        ('{{default "there" .FirstName}}', True),
        ('{{or .FirstName ""}}', False),
        ('{{default "" .FirstName}}', False),
        ('{{.FirstName | default ""}}', False),
        ("{{.FirstName}}", False),
    ],
)
def test_go_fallbacks(tag: str, fallback: bool) -> None:
    found = _only_output(f"Hi {tag},", "go")
    assert (found.name, found.has_fallback) == ("FirstName", fallback)


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("{{if .FirstName}}Hi {{.FirstName}}{{end}}", True),
        ("{{if not .FirstName}}Hi{{else}}Hi {{.FirstName}}{{end}}", True),
        ('{{if eq .FirstName ""}}Hi{{else}}Hi {{.FirstName}}{{end}}', True),
        ("{{with .FirstName}}Hi {{.}}{{end}}", True),
        ("{{with .User}}{{if .FirstName}}Hi {{.FirstName}}{{end}}{{end}}", True),
        ("{{if .Admin}}{{else if .FirstName}}Hi {{.FirstName}}{{end}}", True),
        ('{{$name := or .FirstName "there"}}Hi {{$name}}', True),
        ("{{with $n := .FirstName}}Hi {{$n}}{{end}}", True),
        ("{{if .FirstName}}Hi{{else}}Hi {{.FirstName}}{{end}}", False),
        ("{{if .LastName}}Hi {{.FirstName}}{{end}}", False),
        ("{{with .User}}Hi {{.FirstName}}{{end}}", False),  # tests the user, not the name
        ("{{if .FirstName}}{{end}}Hi {{.FirstName}}", False),
    ],
)
def test_go_if_guards(text: str, guarded: bool) -> None:
    *_, last = _outputs(text, "go")
    assert last.has_fallback is guarded


def test_go_comments_are_masked() -> None:
    text = "{{/* apologylint: disable=AL703 */}}Hi {{- /* trims */ -}} {{.FirstName}}"
    tags = find_template_tags(text)
    assert [(t.syntax, t.is_comment) for t in tags] == [("go", True), ("go", True), ("go", False)]
    assert [emit for _, _, emit in mask_intervals(tags)] == [False, False, True]


def test_a_mustache_dot_is_not_go() -> None:
    """``{{.}}`` is Mustache's current item too: alone, it does not make a file Go."""
    text = "{{#names}}{{.}}, {{/names}}"
    assert {s for _, s in _texts(text)} == {"handlebars", "mustache"}


# -- Django, Jinja, Twig, Nunjucks ----------------------------------------------------------

DJANGO_MESSAGE = """\
{% extends "account/email/base_message.txt" %}
{% load i18n %}
{% block content %}{% autoescape off %}{% blocktrans with name=user.first_name %}Hello {{ name }},
we are sorry: the password reset link we sent you did not work.{% endblocktrans %}

{% trans "Use the new link below." %}
{{ password_reset_url }}{% endautoescape %}{% endblock content %}
"""


def test_django_message_tags() -> None:
    tags = find_template_tags(DJANGO_MESSAGE, engine="django")
    assert {t.syntax for t in tags} == {"django"}
    shown = [(DJANGO_MESSAGE[t.start : t.end], t.is_control, t.keyword) for t in tags]
    assert shown == [
        ('{% extends "account/email/base_message.txt" %}', True, ""),
        ("{% load i18n %}", True, ""),
        ("{% block content %}", True, "open"),
        ("{% autoescape off %}", True, "open"),
        ("{% blocktrans with name=user.first_name %}", True, "open"),
        ("{{ name }}", False, ""),
        ("{% endblocktrans %}", True, "end"),
        ('{% trans "Use the new link below." %}', False, ""),
        ("{{ password_reset_url }}", False, ""),
        ("{% endautoescape %}", True, "end"),
        ("{% endblock content %}", True, "end"),
    ]
    # the blocktrans variable is the field it copies
    assert tags[5].name == "user.first_name"


def test_blocktrans_content_stays_prose() -> None:
    text = "{% blocktrans %}We're sorry about the delay.{% endblocktrans %}"
    tags = find_template_tags(text)
    covered = "".join(text[t.start : t.end] for t in tags)
    assert "sorry" not in covered
    assert [t.keyword for t in tags] == ["open", "end"]
    text = "{% trans %}We're sorry, {{ user }}.{% pluralize %}Sorry, all.{% endtrans %}"
    tags = find_template_tags(text, engine="jinja")
    assert [(text[t.start : t.end], t.keyword) for t in tags] == [
        ("{% trans %}", "open"), ("{{ user }}", ""), ("{% pluralize %}", ""),
        ("{% endtrans %}", "end"),
    ]


@pytest.mark.parametrize(
    ("tag", "control", "name", "fallback"),
    [
        ('{% trans "We\'re sorry" %}', False, "", False),
        ('{% translate "We\'re sorry" %}', False, "", False),
        ('{% trans "We\'re sorry" as apology %}', True, "", False),
        ('{% firstof user.first_name "there" %}', False, "user.first_name", True),
        ('{% firstof user.first_name "" %}', False, "user.first_name", False),
        ("{% url 'account_reset_password' %}", True, "url", False),
        ("{% spaceless %}", True, "spaceless", False),
        ("{% with name=user.first_name %}", True, "", False),
    ],
)
def test_django_tags(tag: str, control: bool, name: str, fallback: bool) -> None:
    [found] = find_template_tags(tag, engine="django")
    assert (found.is_control, found.name, found.has_fallback) == (control, name, fallback)


@pytest.mark.parametrize(
    ("engine", "tag", "fallback"),
    [
        ("django", '{{ user.first_name|default:"there" }}', True),
        ("django", '{{ user.first_name|default_if_none:"there" }}', True),
        ("django", '{{ user.first_name|default:"" }}', False),
        ("django", '{{ user.first_name|default_if_none:"" }}', False),
        ("twig", "{{ user.first_name|default('there') }}", True),
        ("twig", "{{ user.first_name|default('') }}", False),
        ("nunjucks", '{{ user.first_name | default("there") }}', True),
        ("nunjucks", '{{ user.first_name | default("") }}', False),
        ("jinja", '{{ user.first_name|default("there", true) }}', True),
        ("jinja", "{{ user.first_name }}", False),
        ("liquid", '{{ user.first_name | default: "there" }}', True),
    ],
)
def test_jinja_family_fallbacks(engine: str, tag: str, fallback: bool) -> None:
    found = _only_output(f"Hi {tag},", engine)
    assert (found.syntax, found.name, found.has_fallback) == (engine, "user.first_name", fallback)


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ('{% with name=user.first_name|default:"there" %}Hi {{ name }}{% endwith %}', True),
        ("{% with user.first_name as name %}Hi {{ name }}{% endwith %}", False),
        # a block that is no condition keeps the enclosing if open
        ("{% if first_name %}{% spaceless %}<b>x</b>{% endspaceless %}Hi {{ first_name }}"
         "{% endif %}", True),
        ("{% if first_name %}{% trans %}Hi{% endtrans %}, {{ first_name }}{% endif %}", True),
    ],
)
def test_django_guards(text: str, guarded: bool) -> None:
    *_, last = _outputs(text, "django")
    assert last.has_fallback is guarded


@pytest.mark.parametrize("engine", ["django", "jinja", "twig", "nunjucks", "liquid"])
def test_if_guards_under_every_jinja_family_engine(engine: str) -> None:
    text = (
        "{% if user.first_name %}Hi {{ user.first_name }},{% else %}Hi {{ user.first_name }},"
        "{% endif %} {% if user.last_name %}{{ user.first_name }}{% endif %}"
    )
    outputs = _outputs(text, engine)
    assert [(t.syntax, t.name) for t in outputs] == [(engine, "user.first_name")] * 3
    assert [t.has_fallback for t in outputs] == [True, False, False]


# -- the engine hint --------------------------------------------------------------------------


@pytest.mark.parametrize("engine", sorted(TEMPLATE_ENGINES - {"erb"}))
def test_an_engine_names_the_syntax_of_its_curly_tags(engine: str) -> None:
    text = "Hi {{ first_name }}, *|FNAME|* %%FirstName%% [firstname,fallback=there]"
    tags = find_template_tags(text, engine=engine)
    assert [(text[t.start : t.end], t.syntax) for t in tags] == [
        ("{{ first_name }}", engine),
        ("*|FNAME|*", "mailchimp"),
        ("%%FirstName%%", "ampscript"),
        ("[firstname,fallback=there]", "campaignmonitor"),
    ]


@pytest.mark.parametrize("engine", ["liquid", "jinja", "nunjucks", "django", "twig"])
def test_an_engine_names_its_percent_tags(engine: str) -> None:
    text = "{% if first_name %}Hi {{ first_name }}{% endif %}"
    assert {t.syntax for t in find_template_tags(text, engine=engine)} == {engine}


def test_engine_reading_keeps_what_the_look_found() -> None:
    """Naming the engine changes the syntax, not the tags, names or fallbacks."""
    text = (
        '{% if customer.first_name != blank %}Hi {{ customer.first_name | capitalize }}'
        '{% else %}Hi{% endif %} {{ order.name }} {{ shop.name | default: "us" }}'
    )

    def facts(tags: list[FoundTag]) -> list[tuple[int, int, str, bool, bool, str]]:
        return [(t.start, t.end, t.name, t.has_fallback, t.is_control, t.keyword) for t in tags]

    auto = find_template_tags(text)
    assert facts(find_template_tags(text, engine="liquid")) == facts(auto)
    assert {t.syntax for t in auto} == {"liquid"}


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown template engine"):
        find_template_tags("{{ x }}", engine="jinja2")


@pytest.mark.parametrize(
    ("text", "engine", "syntax"),
    [
        ("Hi {{ $user->first_name }}", None, "blade"),
        ("Hi {!! $user->first_name !!}", None, "blade"),
        ("Hi {{.FirstName}}", None, "go"),
        ("Hi {{ .User.FirstName }}", None, "go"),
        ("Hi <%= @user.first_name %>", None, "erb"),
        ("Hi {{${first_name}}}", None, "liquid"),  # Braze, as before
        ("Hi {{ $t('greeting') }}", None, "mustache"),  # Vue i18n: no Blade variable
    ],
)
def test_unambiguous_forms_need_no_engine(text: str, engine: str | None, syntax: str) -> None:
    [tag] = find_template_tags(text, engine=engine)
    assert tag.syntax == syntax


@pytest.mark.parametrize("opener", ["{% comment %}", '{% comment "why" %}', "{%- comment -%}"])
def test_a_django_comment_block_hides_its_fields(opener: str) -> None:
    text = f"{opener}Hi {{{{ name }}}}{{% endcomment %}} Sorry."
    [tag] = find_template_tags(text, engine="django")
    assert (tag.start, tag.end) == (0, text.index(" Sorry")) and tag.is_comment


def test_a_brace_inside_a_tag_is_text_unless_it_opens_brazes_field() -> None:
    """``{{ "{" }}`` ends at its first ``}}`` (the brace is a string); only Braze's
    ``{{${first_name}}}`` runs past it. Walking for a balance at every ``{{`` made 200,000
    characters of ``{{ "{{" }}`` take seconds."""
    text = 'a {{ "{" }} b {{ "{{" }} c {{${first_name}}} d'
    spans = [(t.start, t.end) for t in find_template_tags(text)]
    assert [text[s:e] for s, e in spans] == ['{{ "{" }}', '{{ "{{" }}', "{{${first_name}}}"]
    hostile = '{{ "{{" }} ' * 20_000
    start = time.perf_counter()
    assert len(find_template_tags(hostile)) == 20_000
    assert time.perf_counter() - start < 2.0  # was ~5 s


@pytest.mark.parametrize(
    ("text", "engine"),
    [
        ("<%# apologylint: disable=AL703 %>", "erb"),
        ("{{-- apologylint: disable=AL703 --}}", "blade"),
        ("{{/* apologylint: disable=AL703 */}}", "go"),
        ("{{- /* apologylint: disable=AL703 */ -}}", "go"),
        ("{# apologylint: disable=AL703 #}", "django"),
    ],
)
def test_comments_of_every_engine(text: str, engine: str) -> None:
    for hint in (None, engine):
        [tag] = find_template_tags(f"Hi {text} there", engine=hint)
        assert (tag.start, tag.end) == (3, 3 + len(text))
        assert tag.is_comment and tag.name == "comment" and tag.is_control


# -- i18n_call --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "engine", "expected"),
    [
        # Rails
        ('<%= t(".greeting") %>', "erb", I18nCall(".greeting", "rails", False, True)),
        ('<%= t("order_mailer.delay.body", number: @order.number) %>', "erb",
         I18nCall("order_mailer.delay.body", "rails", False, True)),
        ("<%= I18n.t('mailer.sorry') %>", None, I18nCall("mailer.sorry", "rails", False, True)),
        ("<%= translate('.sorry') %>", None, I18nCall(".sorry", "rails", False, True)),
        ("<%= t(:apology) %>", None, I18nCall("apology", "rails", False, True)),
        ('<%= t ".intro" %>', None, I18nCall(".intro", "rails", False, True)),
        ('<%= t(".body", family: @family.name).html_safe %>', None,
         I18nCall(".body", "rails", False, True)),
        ('<%= link_to t(".accept_button"), @accept_url, class: "button" %>', None,
         I18nCall(".accept_button", "rails", False, True)),
        ("<%= Spree.t('order_mailer.cancel_email.subject') %>", None,
         I18nCall("order_mailer.cancel_email.subject", "rails", False, True)),
        ('<%= t("order_mailer.#{@kind}.subject") %>', None, I18nCall("", "rails", True, True)),
        ("<%= t(key) %>", None, I18nCall("", "rails", True, True)),
        ("<% heading = t('.heading') %>", None, I18nCall(".heading", "rails", False, False)),
        ("<%= t('It\\'s late') %>", None, I18nCall("It's late", "rails", False, True)),
        # Laravel
        ("{{ __('Hello :name', ['name' => $user->name]) }}", "blade",
         I18nCall("Hello :name", "laravel", False, True)),
        ('{!! __("We\'re sorry") !!}', "blade", I18nCall("We're sorry", "laravel", False, True)),
        ("{{ trans('emails.sorry') }}", "blade", I18nCall("emails.sorry", "laravel", False, True)),
        ("{{ trans_choice('emails.items', $count) }}", "blade",
         I18nCall("emails.items", "laravel", False, True)),
        ("@lang('emails.apology.intro')", "blade",
         I18nCall("emails.apology.intro", "laravel", False, True)),
        ("{{ Lang::get('emails.sorry') }}", "blade",
         I18nCall("emails.sorry", "laravel", False, True)),
        ('{{ __("Hello $name") }}', "blade", I18nCall("", "laravel", True, True)),
        ("{{ __('emails.' . $kind) }}", "blade", I18nCall("", "laravel", True, True)),
        # gettext
        ('{{ _("We are sorry") }}', "jinja", I18nCall("We are sorry", "gettext", False, True)),
        ('{{ gettext("Line one\\nLine two") }}', "jinja",
         I18nCall("Line one\nLine two", "gettext", False, True)),
        ('{{ pgettext("email", "Sorry") }}', "jinja", I18nCall("Sorry", "gettext", False, True)),
        ('{{ ngettext("one parcel", "%(n)s parcels", n) }}', "jinja",
         I18nCall("one parcel", "gettext", False, True)),
        ('{% trans "We\'re sorry" %}', "django", I18nCall("We're sorry", "gettext", False, True)),
        ('{% translate "Use the new link" %}', "django",
         I18nCall("Use the new link", "gettext", False, True)),
        ('{% trans "Sorry" as apology %}', "django", I18nCall("Sorry", "gettext", False, False)),
        ('{% set apology = _("Sorry") %}', "jinja", I18nCall("Sorry", "gettext", False, False)),
        # gettext under a project's own name (Flask-Security, Flask-Babel)
        ("{{ _fsdomain('Welcome!') }}", "jinja", I18nCall("Welcome!", "gettext", False, True)),
        ('{{ _gettext("We are sorry") }}', "django",
         I18nCall("We are sorry", "gettext", False, True)),
        ('{{ _l("Sorry for the wait") }}', "nunjucks",
         I18nCall("Sorry for the wait", "gettext", False, True)),
        ('{{ _n("one parcel", "%(num)d parcels", n) }}', "jinja",
         I18nCall("one parcel", "gettext", False, True)),
        ('{{ _pgettext("email", "Sorry") }}', "jinja", I18nCall("Sorry", "gettext", False, True)),
        ('{{- _fsdomain("Welcome %(email)s", email=user.email)|safe -}}', None,
         I18nCall("Welcome %(email)s", "gettext", False, True)),
        # Go
        ('{{.locale.Tr "mail.hi_user_x" .DisplayName}}', "go",
         I18nCall("mail.hi_user_x", "go", False, True)),
        ('{{.i18n.Tr "mail.activate_account"}}', "go",
         I18nCall("mail.activate_account", "go", False, True)),
        ('{{ i18n "apology_intro" }}', "go", I18nCall("apology_intro", "go", False, True)),
        ('{{ T "apology_intro" . }}', "go", I18nCall("apology_intro", "go", False, True)),
        ('{{ tr "mail.sorry" }}', "go", I18nCall("mail.sorry", "go", False, True)),
        ("{{ $.i18n.Tr .Key }}", "go", I18nCall("", "go", True, True)),
        ('{{ $intro := .locale.Tr "mail.intro" }}', "go",
         I18nCall("mail.intro", "go", False, False)),
        # i18next and friends
        ("{{ $t('apology.title') }}", None, I18nCall("apology.title", "i18next", False, True)),
        ('{{t "apology.title"}}', "handlebars",
         I18nCall("apology.title", "i18next", False, True)),
        ("{{ 'customer.order.delayed' | t }}", "liquid",
         I18nCall("customer.order.delayed", "i18next", False, True)),
        ("{{ 'customer.greeting' | t: name: customer.first_name }}", "liquid",
         I18nCall("customer.greeting", "i18next", False, True)),
        # Symfony's Twig filter
        ("{{ 'reset.title'|trans({'%username%': user.displayName}, 'email') }}", "twig",
         I18nCall("reset.title", "symfony", False, True)),
        ("{{ 'email.sorry' | trans }}", "twig", I18nCall("email.sorry", "symfony", False, True)),
    ],
)
def test_i18n_calls(tag: str, engine: str | None, expected: I18nCall) -> None:
    assert i18n_call(tag, engine) == expected


@pytest.mark.parametrize(
    ("tag", "engine"),
    [
        ("<%= t %>", "erb"),  # a variable called t
        ("<%= t.strftime('%B') %>", "erb"),
        ("<% t = Time.current %>", "erb"),
        ("<%= @user.first_name %>", "erb"),
        ("<%# t('.x') %>", "erb"),
        ("{{ t }}", "liquid"),
        ("{{ t | upcase }}", "liquid"),
        ("{{ title }}", None),
        ("{{ _fsdomain(message) }}", "jinja"),  # a wrapper's key must be a literal
        ('{{ _format_price("9.99") }}', "jinja"),  # a helper, not a gettext wrapper
        ("{{ _fsdomain('Welcome!') }}", "blade"),  # PHP, not the Jinja family
        ("{{ $user->name }}", "blade"),
        ("{% trans %}", "jinja"),  # the text is between the tags
        ("{% blocktrans %}", "django"),
        ("{% if first_name %}", "django"),
        ("@if($x)", "blade"),
        ("@media (max-width:600px)", "blade"),
        ("{{ .Title }}", "go"),
        ("*|FNAME|*", None),
        ("help@acme.com", None),
    ],
)
def test_no_i18n_call(tag: str, engine: str | None) -> None:
    assert i18n_call(tag, engine) is None


def test_every_i18n_call_in_a_real_view_is_found() -> None:
    calls = [
        i18n_call(RAILS_MAILER[t.start : t.end], "erb")
        for t in find_template_tags(RAILS_MAILER, engine="erb")
    ]
    assert [c for c in calls if c] == [I18nCall(".heading", "rails", False, True)]
    tags = find_template_tags(LARAVEL_MAIL, engine="blade")
    laravel = [c for t in tags if (c := i18n_call(LARAVEL_MAIL[t.start : t.end], "blade"))]
    sorry = "We are sorry: your order :number is late."
    assert laravel == [I18nCall(sorry, "laravel", False, True)]


# -- template_reference -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "engine", "expected"),
    [
        # extends
        ('{% extends "account/email/base_message.txt" %}', "django",
         TemplateRef("extends", "account/email/base_message.txt")),
        ("{% extends 'layouts/mail.twig' %}", "twig", TemplateRef("extends", "layouts/mail.twig")),
        ('{% extends "base.njk" %}', "nunjucks", TemplateRef("extends", "base.njk")),
        ("@extends('layouts.mail')", "blade", TemplateRef("extends", "layouts.mail")),
        ("{% layout 'theme' %}", "liquid", TemplateRef("extends", "theme")),
        # include
        ('{% include "emails/footer.html" %}', "django",
         TemplateRef("include", "emails/footer.html")),
        ('{% include "footer.html" with unsubscribe=url only %}', "django",
         TemplateRef("include", "footer.html")),
        ("{% include 'footer' %}", "liquid", TemplateRef("include", "footer")),
        ("{% render 'order-summary', order: order %}", "liquid",
         TemplateRef("include", "order-summary")),
        ("{% include footer.html %}", "liquid", TemplateRef("include", "footer.html")),
        ("{{> footer}}", "handlebars", TemplateRef("include", "footer")),
        ("{{> footer year=2024}}", "handlebars", TemplateRef("include", "footer")),
        ('<%= render "shared/footer" %>', "erb", TemplateRef("include", "shared/footer")),
        ("<%= render 'spree/shared/order_summary', order: @order %>", "erb",
         TemplateRef("include", "spree/shared/order_summary")),
        ('<%= render partial: "shared/footer" %>', "erb", TemplateRef("include", "shared/footer")),
        ('<%= render partial: "shared/footer", layout: "shared/box" %>', "erb",
         TemplateRef("include", "shared/footer")),
        ("<%= render template: 'spree/shared/base' %>", "erb",
         TemplateRef("include", "spree/shared/base")),
        ("@include('emails.partials.footer')", "blade",
         TemplateRef("include", "emails.partials.footer")),
        ("@include('emails.partials.button', ['url' => $url])", "blade",
         TemplateRef("include", "emails.partials.button")),
        ("@component('mail::message')", "blade", TemplateRef("include", "mail::message")),
        ('{{template "footer" .}}', "go", TemplateRef("include", "footer")),
        # slot
        ("<%= yield %>", "erb", TemplateRef("slot", "")),
        ("<%= yield :head %>", "erb", TemplateRef("slot", "head")),
        ("@yield('content')", "blade", TemplateRef("slot", "content")),
        ("{{ $slot }}", "blade", TemplateRef("slot", "")),
        ("{{{ @content }}}", "handlebars", TemplateRef("slot", "")),
        ("{{{ body }}}", "handlebars", TemplateRef("slot", "")),
        ("{{{body}}}", "handlebars", TemplateRef("slot", "")),
        ("{{> @partial-block }}", "handlebars", TemplateRef("slot", "")),
        ("{{ content }}", "liquid", TemplateRef("slot", "")),
        # blocks
        ("{% block content %}", "django", TemplateRef("block", "content")),
        ("@section('content')", "blade", TemplateRef("block", "content")),
        ("@section('title', 'Sorry about your order')", "blade", TemplateRef("define", "title")),
        ('{{block "content" .}}', "go", TemplateRef("block", "content")),
        ("{% endblock %}", "django", TemplateRef("endblock", "")),
        ("{% endblock content %}", "django", TemplateRef("endblock", "content")),
        ("@endsection", "blade", TemplateRef("endblock", "")),
        ("@stop", "blade", TemplateRef("endblock", "")),
        ("@show", "blade", TemplateRef("endblock", "")),
        ("@endcomponent", "blade", TemplateRef("endblock", "")),
        ('{{define "mail_body"}}', "go", TemplateRef("define", "mail_body")),
    ],
)
def test_template_references(tag: str, engine: str, expected: TemplateRef) -> None:
    assert template_reference(tag, engine) == expected


@pytest.mark.parametrize(
    ("tag", "engine"),
    [
        ("{{ title }}", "liquid"),  # no slot
        ("{{ content }}", "jinja"),  # Jekyll's slot is Liquid's only
        ("{{ body }}", "handlebars"),  # escaped: no layout slot
        ("{{ $slotted }}", "blade"),
        ("@media (max-width:600px)", "blade"),
        ("help@acme.com", None),
        ("<%= render_price(@order) %>", "erb"),
        # a partial-layout wraps the block after the tag: nothing to pour in at the tag
        ("<%= render layout: 'spree/shared/mailer_hero' do %>", "erb"),
        ('<%= render(layout: "shared/hero") do %>', "erb"),
        ("<%= render :layout => 'shared/hero' do |hero| %>", "erb"),
        ("<%= @user.first_name %>", "erb"),
        ("{{ .Title }}", "go"),
        ("{% if first_name %}", "django"),
        ("{% endif %}", "django"),
        ("@if($x)", "blade"),
    ],
)
def test_no_template_reference(tag: str, engine: str | None) -> None:
    assert template_reference(tag, engine) is None


# -- the default suggested in the file's own syntax -------------------------------------------


@pytest.mark.parametrize(
    ("text", "engine", "suggestion"),
    [
        ("Hi <%= @user.first_name %>,", "erb", '<%= @user.first_name.presence || "there" %>'),
        ("Hi <%== @user.first_name -%>,", "erb", '<%== @user.first_name.presence || "there" -%>'),
        ("Hi <%= h @user.first_name %>,", "erb", '<%= (h @user.first_name).presence || "there" %>'),
        ("Hi {{ $user->first_name }},", "blade", "{{ $user->first_name ?? 'there' }}"),
        ("Hi {!! $user->first_name !!},", "blade", "{!! $user->first_name ?? 'there' !!}"),
        ("Hi {{.FirstName}},", "go", '{{or .FirstName "there"}}'),
        ("Hi {{- .User.FirstName | html -}},", "go",
         '{{- or (.User.FirstName | html) "there" -}}'),
        ("Hi {{ first_name }},", "django", '{{ first_name|default:"there" }}'),
        ("Hi {{ first_name }},", "twig", "{{ first_name|default('there') }}"),
        ("Hi {{ first_name }},", "nunjucks", '{{ first_name | default("there") }}'),
        ("Hi {{ first_name }},", "jinja", '{{ first_name|default("there") }}'),
        ("Hi {{ first_name }},", "liquid", '{{ first_name | default: "there" }}'),
        ("Hi {{ customer.first_name | capitalize }},", "liquid",
         '{{ customer.first_name | capitalize | default: "there" }}'),
        ("Hi {{firstName}},", "handlebars", "{{#if firstName}}{{firstName}}{{else}}there{{/if}}"),
        ("Hi {{capitalize firstName}},", "handlebars",
         "{{#if firstName}}{{capitalize firstName}}{{else}}there{{/if}}"),
        # no engine named: the new syntaxes still get their own form
        ("Hi <%= @user.first_name %>,", None, '<%= @user.first_name.presence || "there" %>'),
        ("Hi {{ $user->first_name }},", None, "{{ $user->first_name ?? 'there' }}"),
        ("Hi {{ .FirstName }},", None, '{{ or .FirstName "there" }}'),
    ],
)
def test_suggestion_in_the_engines_own_form(
    text: str, engine: str | None, suggestion: str
) -> None:
    tags = to_template_tags(text, find_template_tags(text, engine=engine), None)
    [tag] = [t for t in tags if not t.is_control]
    assert fallback_example(tag, dialect_marks(tags), "there", engine=engine) == suggestion


@pytest.mark.parametrize("engine", ["liquid", "jinja", "django", "twig", "nunjucks"])
def test_the_jinja_family_never_gets_handlebars(engine: str) -> None:
    text = "Hi {{ name }},\n{% if order %}{{ order.number }}{% endif %}"
    tags = to_template_tags(text, find_template_tags(text, engine=engine), None)
    for tag in (t for t in tags if not t.is_control):
        for hint in (engine, None):
            suggestion = fallback_example(tag, dialect_marks(tags), "there", engine=hint)
            assert "{{#if" not in suggestion and "{{else}}" not in suggestion
            assert tag.text.strip("{} ").split()[0] in suggestion


def test_suggested_defaults_are_quoted_safely() -> None:
    text = "Cześć {{ $user->first_name }},"
    tags = to_template_tags(text, find_template_tags(text, engine="blade"), None)
    assert fallback_example(tags[0], dialect_marks(tags), "d'Artagnan", engine="blade") == (
        "{{ $user->first_name ?? 'd\\'Artagnan' }}"
    )
    text = 'Hi <%= @user.first_name %>'
    tags = to_template_tags(text, find_template_tags(text, engine="erb"), None)
    assert fallback_example(tags[0], dialect_marks(tags), 'the "team"', engine="erb") == (
        '<%= @user.first_name.presence || "the \\"team\\"" %>'
    )


def test_esp_tags_keep_their_own_form_under_an_engine() -> None:
    text = "Hi *|FNAME|*,"
    tags = to_template_tags(text, find_template_tags(text, engine="django"), None)
    suggestion = fallback_example(tags[0], dialect_marks(tags), "there", engine="django")
    assert suggestion.startswith("*|IF:FNAME|*")


# -- linear time ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opener", "engine"),
    [
        ("<%", None), ("<%=", "erb"), ("<%#", "erb"),
        ("@if(", "blade"), ("@if('", "blade"), ("@php ", "blade"), ("@section(", "blade"),
        ("{{ $", "blade"), ("{!!", None), ("{{--", None),
        ("{{.", None), ("{{.", "go"), ("{{/*", None), ("{{- /* ", "go"),
        ("{% trans ", "django"), ("{% with a=", "django"),
    ],
)
def test_openers_without_closers_scan_in_linear_time(opener: str, engine: str | None) -> None:
    text = opener * (200_000 // len(opener))
    start = time.perf_counter()
    find_template_tags(text, engine=engine)
    assert time.perf_counter() - start < 1.0


def test_dense_and_nested_tags_stay_linear() -> None:
    """Closed tags in bulk, and ``with`` nested 20,000 deep without an end: names stay
    short (the scope path is bounded), time stays linear."""
    text = "{{with .User}}" * 20_000 + "{{.FirstName}}"
    start = time.perf_counter()
    tags = find_template_tags(text, engine="go")
    assert time.perf_counter() - start < 3.0
    assert max(len(t.name) for t in tags) <= 200
    text = "@if($user->first_name) {{ $user->first_name }} @endif " * 5_000
    start = time.perf_counter()
    tags = find_template_tags(text, engine="blade")
    assert time.perf_counter() - start < 3.0
    assert all(t.has_fallback for t in tags if not t.is_control)


def test_a_tags_description_and_the_tag_have_the_same_fields() -> None:
    """``_Info.at`` builds a :class:`FoundTag` by position (``FoundTag(start, end,
    *info)``): the two field lists must not drift apart."""
    from apologylint.loaders.templating.tags import _Info

    assert FoundTag._fields[:2] == ("start", "end")
    assert FoundTag._fields[2:] == _Info._fields
