"""apologylint benchmark: template repositories at 1x, 2x and 4x their size.

Usage::

    python bench/bench_repos.py                 # 150, 300 and 600 messages
    python bench/bench_repos.py --messages 50   # 50, 100 and 200

It generates (seeded) one repository holding three conventions in equal parts, each message
made of several files (see docs/templates.md):

- Rails: ``app/views/notice_mailer/notice_N.html.erb`` + ``.text.erb``, the words and the
  subject in ``config/locales/en.yml`` (``t('.intro')``), one mailer class, one layout;
- Postmark: ``templates/pm_N/content.html`` + ``content.txt`` + ``meta.json`` with
  ``LayoutTemplate``, one layout folder;
- Django: ``templates/emails/dj_N_subject.txt`` + ``dj_N_message.html`` that
  ``{% extends %}`` a base layout and ``{% include %}`` a footer partial.

Then, for each size, in a fresh process (so that memory figures are clean):

(a) the floor: every template file read and tokenised by ``html.parser`` (stdlib, no tree),
    the least any reader of the same files does;
(b) ``lint_paths([repo])`` in process, one job, the pack cache warm: seconds, ratio to the
    floor, milliseconds per message, and the process's peak memory (max RSS);
(c) a pre-commit run: one changed message file in the repository (the cost a commit pays
    for the repository's index, locale files and layouts).

Nothing here is a pass/fail test; figures go to ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SORRY = ["We're sorry", "We apologise", "Our apologies", "We are sorry"]
WHAT = ["the reminder we sent yesterday gave the wrong date for your workshop",
        "your order confirmation showed the wrong delivery address",
        "the invoice we emailed on Monday charged VAT twice",
        "the link in our newsletter pointed to a page that does not exist"]
NEXT = ["You don't need to do anything: your booking is unchanged.",
        "We have refunded the difference; it reaches your card within five days.",
        "The corrected page is live; the old link now takes you there."]
CONTACT = "Questions? Reply to this email or write to care@fernleaf.example."


def _sentence(rng: random.Random) -> tuple[str, str, str]:
    return (f"{rng.choice(SORRY)}: {rng.choice(WHAT)}.", rng.choice(NEXT), CONTACT)


def generate(root: Path, messages: int, seed: int) -> int:
    """A repository of ``messages`` messages (three conventions); returns its file count."""
    rng = random.Random(seed)
    per = messages // 3
    files: dict[str, str] = {".git/HEAD": "ref: refs/heads/main\n"}
    # Rails
    files["app/views/layouts/mailer.html.erb"] = (
        "<html><head><style>p { color: #333 }</style></head><body>"
        '<img src="https://fernleaf.example/logo.png" alt="Fernleaf">'
        "<%= yield %><p>Fernleaf Ltd, 1 Mill Lane, Bristol</p></body></html>")
    methods, locale = [], ["en:", "  notice_mailer:"]
    for i in range(per):
        methods.append(f"  def notice_{i}\n    mail(to: @user.email)\n  end\n")
        intro, step, contact = _sentence(rng)
        locale += [f"    notice_{i}:", f"      subject: \"Correction: message {i}\"",
                   f"      intro: \"{intro}\"", f"      step: \"{step}\""]
        view = "app/views/notice_mailer/notice_"
        files[f"{view}{i}.html.erb"] = (
            "<p>Hi <%= @user.first_name.presence || 'there' %>,</p>"
            f"<p><%= t('.intro') %></p><p><%= t('.step') %></p><p>{contact}</p>")
        files[f"{view}{i}.text.erb"] = f"<%= t('.intro') %>\n\n<%= t('.step') %>\n\n{contact}\n"
    files["app/mailers/notice_mailer.rb"] = (
        "class NoticeMailer < ApplicationMailer\n" + "".join(methods) + "end\n")
    files["app/mailers/application_mailer.rb"] = (
        "class ApplicationMailer < ActionMailer::Base\n"
        "  default from: 'Fernleaf <care@fernleaf.example>'\n  layout 'mailer'\nend\n")
    files["config/locales/en.yml"] = "\n".join(locale) + "\n"
    # Postmark
    files["layouts/basic/content.html"] = (
        '<html><body><img src="https://fernleaf.example/logo.png" alt="Fernleaf">'
        "{{{@content}}}<p>Fernleaf Ltd, 1 Mill Lane, Bristol</p></body></html>")
    files["layouts/basic/meta.json"] = '{"Alias": "basic", "TemplateType": "Layout"}'
    for i in range(per):
        intro, step, contact = _sentence(rng)
        folder = f"templates/pm_{i}/"
        files[folder + "meta.json"] = json.dumps(
            {"Name": f"Notice {i}", "Subject": f"Correction to message {i}",
             "TemplateType": "Standard", "LayoutTemplate": "basic"})
        files[folder + "content.html"] = (
            f"<p>Hi {{{{name}}}},</p><p>{intro}</p><p>{step}</p><p>{contact}</p>")
        files[folder + "content.txt"] = f"Hi {{{{name}}}},\n\n{intro}\n\n{step}\n\n{contact}\n"
    # Django
    emails = "templates/emails/"
    files[emails + "base.html"] = (
        '<html><body><img src="https://fernleaf.example/logo.png" alt="Fernleaf">'
        "{% block content %}{% endblock %}{% include 'emails/footer.html' %}</body></html>")
    files[emails + "footer.html"] = "<p>Fernleaf Ltd, 1 Mill Lane, Bristol</p>"
    for i in range(per):
        intro, step, contact = _sentence(rng)
        files[f"{emails}dj_{i}_subject.txt"] = f"Correction: message {i}\n"
        files[f"{emails}dj_{i}_message.html"] = (
            "{% extends 'emails/base.html' %}{% block content %}"
            f"<p>Hi {{{{ user.first_name|default:'there' }}}},</p>"
            f"<p>{intro}</p><p>{step}</p><p>{contact}</p>{{% endblock %}}")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files) - 1


_CHILD = r"""
import json, os, resource, sys, time
from html.parser import HTMLParser
from pathlib import Path
root, changed = Path(sys.argv[1]), sys.argv[2]
from apologylint.api import lint_paths

def floor():
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts):
        parser = HTMLParser()
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()

def best(fn, n=3):
    times = []
    for _ in range(n):
        start = time.perf_counter(); fn(); times.append(time.perf_counter() - start)
    return min(times)

os.chdir(root)
lint_paths(["templates/emails/dj_0_message.html"], jobs=1)  # warm: packs, imports
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
hook = best(lambda: lint_paths([changed], jobs=1))
floor_s = best(floor)
result = {}
lint_s = best(lambda: result.update(run=lint_paths(["."], jobs=1)))
report = result["run"].report
print(json.dumps({"floor": floor_s, "lint": lint_s, "hook": hook,
                  "findings": len(report.diagnostics), "errors": len(report.errors),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_base_mb": base / 1024}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=150, help="messages at 1x")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} cores")
    print(f"{'size':>4} {'msgs':>5} {'files':>6} {'floor s':>8} {'lint s':>7} {'vs floor':>9}"
          f" {'ms/msg':>7} {'hook s':>7} {'RSS MB':>7} {'findings':>9}")
    for scale in (1, 2, 4):
        messages = args.messages * scale
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "repo"
            count = generate(root, messages, args.seed)
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, str(root), "templates/pm_0/content.txt"],
                capture_output=True, text=True, check=False)
            if out.returncode:
                print(out.stderr, file=sys.stderr)
                return 1
            r = json.loads(out.stdout)
            print(f"{scale:>3}x {messages:>5} {count:>6} {r['floor']:>8.3f} {r['lint']:>7.2f}"
                  f" {r['floor'] / r['lint']:>8.1%} {1000 * r['lint'] / messages:>7.1f}"
                  f" {r['hook']:>7.3f} {r['rss_mb']:>7.0f} {r['findings']:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
