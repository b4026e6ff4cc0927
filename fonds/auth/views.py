"""Registration, e-mail verification, log in and out, password reset and invitations."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from fonds.auth import bp
from fonds.auth import operations as auth_ops
from fonds.auth.forms import (
    AcceptInvitationForm,
    EmailOnlyForm,
    LoginForm,
    MailChoiceForm,
    RegistrationForm,
    ResetPasswordForm,
)
from fonds.auth.models import User
from fonds.auth.tokens import LinkExpired, LinkInvalid, Purpose, read_token
from fonds.extensions import db, limiter
from fonds.i18n import safe_next
from fonds.refusals import Invalid, Stale
from fonds.roles import Role
from fonds.runner import commit_as_action, run, run_returning

# Where each person starts: the page of their own work. Administrator first, then reviewer, then
# applicant (a member of an organisation); someone with nothing to do yet gets their account page.
# Every way in (the log-in form, after verifying an address or a new password, an accepted
# invitation, the start page of someone logged in) goes through landing_endpoint.
LANDING_LABELS = {
    "rounds.manage": _l("Go to the rounds"),
    "reviews.dashboard": _l("Go to your reviews"),
    "applications.dashboard": _l("Go to your applications"),
    "auth.overview": _l("Go to your account"),
}


def landing_endpoint(user: User) -> str:
    """The endpoint of the page where this person's own work is."""
    if user.has_role(Role.ADMIN):
        return "rounds.manage"
    if user.has_role(Role.REVIEWER):
        return "reviews.dashboard"
    if user.memberships:
        return "applications.dashboard"
    return "auth.overview"


def landing_page(user: User) -> str:
    """The path of the page where this person's own work is."""
    return url_for(landing_endpoint(user))


def after_login(user: User) -> str:
    """Where to go once logged in: a safe `next` asked for, otherwise the person's work."""
    return safe_next(request.args.get("next"), landing_page(user))


@bp.app_template_global()
def landing_link() -> tuple[str, str] | None:
    """For templates: the path and the text of the logged-in person's own work, or None."""
    if not current_user.is_authenticated:
        return None
    endpoint = landing_endpoint(current_user)
    return url_for(endpoint), str(LANDING_LABELS[endpoint])


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def mail_limit() -> str:
    return current_app.config["MAIL_RATE_LIMIT"]


def link_problem(message: str, *, resend: str | None = None, status: int = 400):
    """A page for a link that can't be used, saying what to do instead."""
    return render_template("auth/link_problem.html", message=message, resend=resend), status


def read_link(purpose: Purpose, token: str):
    """The link's payload, or a page explaining why it can't be used."""
    try:
        return read_token(purpose, token), None
    except LinkExpired:
        return None, "expired"
    except LinkInvalid:
        return None, "invalid"


# Kept when a log-in starts a fresh session: the language. (Typed text kept from a session that
# had ended belongs to the account, not to the session: fonds.applications.rescue.)
KEPT_ON_LOGIN = ("lang",)


def start_session(user: User) -> None:
    """Log in with a fresh session that keeps only the language."""
    kept = {key: session[key] for key in KEPT_ON_LOGIN if key in session}
    session.clear()
    session.update(kept)
    if "lang" in kept:
        user.locale = kept["lang"]
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME (SESSION_HOURS)
    login_user(user)
    auth_ops.record_login(user)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(mail_limit, methods=["POST"])
def register():
    """An applicant creates an account and their organisation."""
    if current_user.is_authenticated:
        return redirect(landing_page(current_user))
    form = RegistrationForm()
    refused = run(
        lambda: auth_ops.register_applicant(
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            organisation_name=form.organisation.data,
            locale=str(get_locale()),
        ),
        form=form,
    )
    if refused is None or isinstance(refused, Stale):
        # A double click registers once: the second one lost the race for the address, and
        # (as for any address that has an account) the page is the same.
        return redirect(url_for("auth.check_email"))
    if not isinstance(refused, Invalid):
        form.form_errors.append(str(refused))
    status = 200 if isinstance(refused, Invalid) else refused.status
    return render_template("auth/register.html", form=form), status


@bp.route("/check-email")
def check_email():
    return render_template("auth/check_email.html")


@bp.route("/verify/<token>")
def verify_email(token: str):
    payload, problem = read_link(Purpose.VERIFY_EMAIL, token)
    if problem == "expired":
        return link_problem(
            _("This link has expired. Ask for a new link below."), resend="auth.resend_verification"
        )
    user = auth_ops.verify_email(payload) if payload else None
    if user is None:
        return link_problem(
            _("This link is not valid. Copy the whole link from the e-mail, or ask for a new one."),
            resend="auth.resend_verification",
        )
    refused = commit_as_action()  # the confirmation; two clicks at once confirm once
    if refused is not None:
        db.session.expire_all()
    flash(_("Your e-mail address is confirmed. You can log in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(mail_limit, methods=["POST"])
def resend_verification():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        run(
            lambda: auth_ops.resend_verification(form.email.data)
        )  # the same page whatever happened
        return redirect(url_for("auth.check_email"))
    return render_template("auth/resend_verification.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(after_login(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = auth_ops.authenticate(form.email.data, form.password.data)
        if user is None or not user.active:
            form.form_errors.append(
                _(
                    "The e-mail address or the password is not right. Try again, or set a new "
                    "password."
                )
            )
        elif not user.is_verified:
            run(lambda: auth_ops.send_verification(user))
            form.form_errors.append(
                _(
                    "First confirm your e-mail address. We have sent you a new link. Open the "
                    "link in the e-mail and then log in."
                )
            )
        elif (refused := run(lambda: start_session(user))) is not None:
            # Logging in at the same moment in another tab: nothing is lost by trying again.
            form.form_errors.append(str(refused))
        else:
            flash(_("You are logged in."), "success")
            return redirect(after_login(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out, ending the session on the server side too: the account's session version goes
    up, so a copy of the session cookie no longer logs anyone in (on any device)."""
    lang = session.get("lang")
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        if run(user.end_sessions) is not None:  # logged out at the same moment elsewhere
            db.session.expire_all()
            run(user.end_sessions)
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    # Not the start page, whose first lines name the fund's theme: a page that says only this.
    return redirect(url_for("auth.logged_out"))


@bp.route("/logged-out")
def logged_out():
    """A neutral page after logging out: that you are logged out, and a way to log in again."""
    if current_user.is_authenticated:
        return redirect(landing_page(current_user))
    return render_template("auth/logged_out.html")


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(mail_limit, methods=["POST"])
def request_reset():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        send = auth_ops.request_password_reset(form.email.data)
        response = make_response(render_template("auth/reset_sent.html"))
        response.call_on_close(after_response(send))  # mail only after the answer is out
        return response
    return render_template("auth/request_reset.html", form=form)


def after_response(work: Callable[[], None]) -> Callable[[], None]:
    """Run `work` once the response is sent, in an application context (and session) of its
    own; a failure is logged, the person already has their answer."""
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            try:
                work()
            except Exception:
                db.session.rollback()
                app.logger.exception("Work after the response failed")

    return run


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    payload, problem = read_link(Purpose.RESET_PASSWORD, token)
    if problem == "expired":
        return link_problem(
            _(
                "This link has expired. For your safety a link works for one hour. Ask for a "
                "new link below."
            ),
            resend="auth.request_reset",
        )
    user = auth_ops.user_for_reset(payload) if payload else None
    if user is None:
        return link_problem(
            _("This link is not valid or was already used. Ask for a new link below."),
            resend="auth.request_reset",
        )
    form = ResetPasswordForm()
    if form.validate_on_submit():
        refused = run(lambda: auth_ops.set_password(user, form.password.data))
        if refused is not None:
            form.form_errors.append(str(refused))
            return render_template("auth/reset_password.html", form=form), refused.status
        if current_user.is_authenticated:
            logout_user()
        flash(_("Your new password is saved. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Join as reviewer, administrator or organisation member through an e-mailed link."""
    payload, problem = read_link(Purpose.INVITATION, token)
    if problem == "expired":
        return link_problem(
            _("This invitation has expired. Ask the person who invited you to send a new one.")
        )
    try:
        invitation = auth_ops.invitation_for(payload) if payload else None
        if invitation is None:
            raise auth_ops.InvitationError(auth_ops.INVITATION_INVALID)
    except auth_ops.InvitationError as error:
        return link_problem(str(error))

    existing = User.by_email(invitation.email)
    if current_user.is_authenticated and current_user.email != invitation.email:
        return render_template("auth/invitation_other_account.html", invitation=invitation), 409
    if existing is not None and not current_user.is_authenticated:
        flash(_("You already have an account. Log in to accept the invitation."), "info")
        return redirect(url_for("auth.login", next=request.path))

    form = AcceptInvitationForm() if existing is None else None
    if request.method == "POST":
        if existing is not None:
            refused = run(lambda: auth_ops.accept_invitation(invitation, by=current_user))
            if refused is not None:
                # A second click, or another tab, accepted it a moment ago.
                flash(str(refused), "info" if isinstance(refused, Stale) else "error")
                return redirect(landing_page(current_user))
            flash(_("You have accepted the invitation."), "success")
            return redirect(landing_page(current_user))

        def accept():
            user = auth_ops.accept_invitation(
                invitation,
                name=form.name.data,
                password=form.password.data,
                locale=str(get_locale()),
            )
            start_session(user)
            return user

        user, refused = run_returning(accept, form=form)
        if refused is None:
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(landing_page(user))
        if not isinstance(refused, Invalid):
            # Accepted at the same moment in another tab: the account exists now.
            return link_problem(
                str(refused) if not isinstance(refused, Stale) else str(auth_ops.INVITATION_USED),
                status=refused.status,
            )
    return render_template("auth/accept_invitation.html", invitation=invitation, form=form)


def mail_choice_form(user: User, formdata=None) -> MailChoiceForm:
    data = {"discreet_mail": "discreet" if user.discreet_mail else "ordinary"}
    return MailChoiceForm(formdata=formdata, data=data)


@bp.route("/")
@login_required
def overview():
    """The person's own page: roles, organisations, how we e-mail them, where to go next."""
    return render_template("auth/overview.html", form=mail_choice_form(current_user))


@bp.route("/e-mail", methods=["POST"])
@login_required
def mail_choice():
    """The person chooses for themselves: discreet e-mail, or ordinary e-mail."""
    form = mail_choice_form(current_user, request.form)
    if not form.validate_on_submit():
        return render_template("auth/overview.html", form=form), 422
    discreet = form.discreet_mail.data == "discreet"
    refused = run(lambda: auth_ops.set_mail_choice(current_user, discreet=discreet))
    if refused is not None:
        flash(str(refused), "error")
        return render_template("auth/overview.html", form=form), refused.status
    if discreet:
        flash(_("Saved. We now e-mail you discreetly."), "success")
    else:
        flash(_("Saved. Our e-mails to you may now name the title of your application."), "success")
    return redirect(url_for("auth.overview"))
