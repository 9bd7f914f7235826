from flask import current_app, render_template
from flask_babel import _
from flask_mail import Message

from . import mail


def send_email(subject, recipient, template, sender=None, **context):
    msg = Message(subject, recipients=[recipient],
                  sender=sender or current_app.config["MAIL_DEFAULT_SENDER"])
    msg.body = render_template(f"email/{template}.txt", **context)
    msg.html = render_template(f"email/{template}.html", **context)
    mail.send(msg)


def send_seat_change(user, booking):
    send_email(_("Sorry: we changed your seats without asking"), user.email,
               "seat_change", user=user, booking=booking)
