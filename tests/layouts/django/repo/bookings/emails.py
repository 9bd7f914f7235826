from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated(name, user, context, from_email=None):
    """Send emails/<name>_subject.txt + _message.txt + _message.html to one user."""
    context = {"user": user, **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    subject = " ".join(subject.splitlines()).strip()
    text = render_to_string(f"emails/{name}_message.txt", context)
    html = render_to_string(f"emails/{name}_message.html", context)
    msg = EmailMultiAlternatives(subject, text, from_email or settings.DEFAULT_FROM_EMAIL,
                                 [user.email])
    msg.attach_alternative(html, "text/html")
    msg.send()
