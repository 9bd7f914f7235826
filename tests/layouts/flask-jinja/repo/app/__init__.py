from flask import Flask
from flask_babel import Babel
from flask_mail import Mail

mail = Mail()
babel = Babel()


def create_app():
    app = Flask(__name__)
    app.config.from_prefixed_env()
    app.config.setdefault("MAIL_DEFAULT_SENDER", "Larkspur Tickets <boxoffice@larkspur.example>")
    mail.init_app(app)
    babel.init_app(app)
    from .main import bp as main_bp

    app.register_blueprint(main_bp)
    return app
