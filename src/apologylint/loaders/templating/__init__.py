"""Template tags: found in linear time, if-guards applied, one tag's meaning read.

Template files hold tags that are syntax, not prose; rendered mail may hold left-over
tags. Both need the same scanner. The package, from the bottom up (a module imports only
modules listed before it):

* ``tags.py``: :class:`FoundTag`, what every scan reports; the shared limits, the
  fallback test, the cached closer search, :func:`field_key`, and the conversion to the
  model's tags (:func:`to_template_tags`, :func:`mask_intervals`, :func:`map_span`);
* ``expressions.py``: reading the code inside ERB, Blade and Go tags (strings and
  brackets blanked, so top-level operators are found with ``str.find``);
* ``esp.py``: merge tags of email service providers, read whatever the engine:
  Mailchimp ``*|FNAME|*``, AMPscript ``%%[ ]%%``, Campaign Monitor ``[x,fallback=y]``,
  Mautic ``{contactfield=x}``, FreeMarker ``${x!"y"}``, Smarty ``{$x}``, SendGrid
  ``-first_name-``, ``<FirstName>``;
* ``erb.py``: ERB ``<% %>`` (Rails); ``blade.py``: Blade ``{{ $x }}``, ``{!! !!}`` and
  ``@directives`` (Laravel); ``gotemplate.py``: Go templates ``{{ .X }}`` and the
  ``with``/``range`` scopes of their names;
* ``curly.py``: ``{{ }}``, ``{{{ }}}``, ``{% %}`` and ``{# #}`` of Liquid, Jinja,
  Django, Twig, Nunjucks, Handlebars, Mustache (and Marketo ``{{lead.x}}``, HubSpot,
  Klaviyo, Braze); a tag whose engine or look is Go's or Blade's goes to their reader;
* ``guards.py``: the if-guard pass (a tag inside a condition on its own field has a
  fallback);
* ``scanner.py``: :func:`find_template_tags`, which runs the scans, keeps the earliest
  longest of overlapping tags, tells the engine when none is named, and applies Go
  scopes and guards;
* ``meaning.py``: :func:`i18n_call` and :func:`template_reference`, what one tag's text
  means to the code that assembles messages from template repositories (it uses the
  tag readers, not the scanner).

Everything is linear in the text: every pattern has bounded quantifiers (the regex audit
of tests/test_hostile_inputs.py imports each module), and tags whose closer may be far
away (``{{``, ``{%``, ``%%[``, ``<%``, ``{!!``) are closed with a cached
:meth:`str.find`, so no part of the text is searched twice for the same closer.

The ``engine`` hint (:data:`TEMPLATE_ENGINES`) says whose syntax ``{{ }}`` and ``{% %}``
are; without it a tag's look decides, and the unambiguous forms are read too (ERB ``<%
%>``, Go ``{{ .X }}`` and ``{{/* */}}``, Blade ``{{ $x }}``, ``{!! !!}`` and ``{{-- --}}``;
Blade's ``@directives`` only for ``engine="blade"``: ``@media`` in CSS and ``@handles``
are text elsewhere). Each syntax module lists its fallback forms (``has_fallback``);
docs/templates.md has the table.
"""

from __future__ import annotations

# tests/test_loader_fast_paths.py checks this pattern against its slower equivalent.
from .esp import _SENDGRID as _SENDGRID
from .meaning import I18nCall, TemplateRef, i18n_call, template_reference
from .scanner import find_template_tags
from .tags import (
    TEMPLATE_ENGINES,
    FoundTag,
    field_key,
    map_span,
    mask_intervals,
    to_template_tags,
)

__all__ = [
    "TEMPLATE_ENGINES",
    "FoundTag",
    "I18nCall",
    "TemplateRef",
    "field_key",
    "find_template_tags",
    "i18n_call",
    "map_span",
    "mask_intervals",
    "template_reference",
    "to_template_tags",
]
