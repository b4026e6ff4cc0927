from flask import Blueprint, Flask

bp = Blueprint("mail", __name__, cli_group="mail")


@bp.app_template_global()
def mail_sender() -> dict[str, str]:
    """What our e-mails show of their sender, for the pages that tell people so (their account
    page, the privacy statement): the fund's name, the discreet name and subject, the domain."""
    from email.utils import parseaddr

    from flask import current_app

    from fonds.mail.delivery import sender_domain
    from fonds.mail.operations import discreet_subject

    config = current_app.config
    return {
        "name": parseaddr(config["MAIL_DEFAULT_SENDER"])[0] or sender_domain(),
        "discreet_name": config["MAIL_DISCREET_SENDER_NAME"],
        "discreet_subject": discreet_subject(),
        "domain": sender_domain(),
    }


def register(app: Flask) -> None:
    """Attach this package's routes and commands to its blueprint (by importing the modules that
    declare them) and register it with the app."""
    from fonds.mail import commands  # noqa: F401

    app.register_blueprint(bp)
