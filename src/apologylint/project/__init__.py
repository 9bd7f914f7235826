"""The repository a template lives in: how its files make up messages.

A template repository splits one email over several files (an HTML body, a text body, a
subject in ``meta.json`` or a locale file, a layout that brands it) and names them by the
conventions of its framework (Postmark, SendGrid, Maizzle, Django, Rails, Laravel, Go,
Jekyll ...). This package finds those conventions and assembles each message into one
:class:`~apologylint.model.Draft`; the rules never know how many files it came from.
"""
