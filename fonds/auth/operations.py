"""The verbs that change accounts. They take the acting person explicitly, change rows, queue
e-mail and flush; the view commits once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from limits import parse_many
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from fonds.auth.models import Invitation, User, normalise_email
from fonds.auth.passwords import hash_password, needs_rehash, verify_password
from fonds.auth.tokens import Purpose, fingerprint, make_token
from fonds.columns import utcnow
from fonds.extensions import db, limiter
from fonds.formatting import date_time
from fonds.mail.operations import queue_mail, send_ready_mail
from fonds.organisations.models import Membership, Organisation
from fonds.refusals import Refused
from fonds.roles import Role

logger = logging.getLogger(__name__)


class InvitationError(Refused):
    """An invitation can't be used; the message is for the person."""


def register_applicant(
    *, name: str, email: str, password: str, organisation_name: str, locale: str
) -> User | None:
    """Create an unverified applicant with a new organisation and send the verification link.

    If the address already has an account, nothing is created and the owner gets an e-mail
    instead, so the page shown never reveals whether an address is registered.
    """
    email = normalise_email(email)
    password_hash = hash_password(password)  # also when unused: same timing either way
    existing = User.by_email(email)
    if existing is not None:
        queue_mail(
            existing.email,
            "already_registered",
            existing.locale,
            discreet=existing.discreet_mail,
            user=existing,
        )
        return None
    user = User(email=email, name=name.strip(), password_hash=password_hash, locale=locale)
    user.add_role(Role.APPLICANT)
    organisation = Organisation(name=organisation_name.strip())
    db.session.add_all([user, organisation])
    db.session.add(Membership(user=user, organisation=organisation))
    db.session.flush()
    send_verification(user)
    logger.info("Applicant %s registered", user.id)
    return user


def send_verification(user: User) -> None:
    token = make_token(Purpose.VERIFY_EMAIL, {"u": user.id, "e": user.email})
    link = url_for("auth.verify_email", token=token, _external=True)
    queue_mail(
        user.email, "verify_email", user.locale, discreet=user.discreet_mail, user=user, link=link
    )


def resend_verification(email: str) -> None:
    user = User.by_email(email)
    if user is not None and user.active and not user.is_verified:
        send_verification(user)


def verify_email(payload: dict) -> User | None:
    """Mark the address as verified if the link matches the account's current address."""
    user = db.session.get(User, payload.get("u"))
    if user is None or user.email != payload.get("e"):
        return None
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None. A wrong address and a wrong password take
    the same time and give the same answer."""
    user = User.by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.flush()


# A stand-in account for a reset asked for an address without one: the request does the same
# work either way (look up, make a token, render the mail), so its timing says nothing.
_STAND_IN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c3RhbmQtaW4$c3RhbmQtaW4tYWNjb3VudC1oYXNo"


def request_password_reset(email: str) -> Callable[[], None]:
    """Prepare a reset: the same work for a known and an unknown address. Returns what to run
    after the response: for an active account, queue the mail and send it (fonds.mail); for any
    other address, nothing. The caller runs it in an application context of its own."""
    # Without the accounts' eager relationships: a found row would load its roles, a missing
    # one nothing, and the difference is visible.
    user = db.session.scalar(
        select(User)
        .options(lazyload(User.roles), lazyload(User.memberships))
        .where(User.email == normalise_email(email))
    )
    known = user is not None and user.active
    person = user if known else User(id=0, email=email, name="", password_hash=_STAND_IN_HASH)
    token = make_token(
        Purpose.RESET_PASSWORD, {"u": person.id, "p": fingerprint(person.password_hash)}
    )
    link = url_for("auth.reset_password", token=token, _external=True)
    locale = (person.locale or "nl") if known else "nl"
    with force_locale(locale):
        render_template("emails/reset_password_subject.txt", user=person, link=link)
        render_template("emails/reset_password.txt", user=person, link=link, discreet=True)
    user_id = person.id if known else None

    def send() -> None:
        if user_id is None:
            return
        account = db.session.get(User, user_id)
        if account is None or not account.active:
            return
        queue_mail(
            account.email,
            "reset_password",
            account.locale,
            discreet=account.discreet_mail,
            user=account,
            link=link,
        )
        db.session.commit()
        send_ready_mail()

    return send


def user_for_reset(payload: dict) -> User | None:
    """The account a reset link is for, as long as the password has not changed since: a reset
    link works once."""
    user = db.session.get(User, payload.get("u"))
    if user is None or not user.active:
        return None
    if fingerprint(user.password_hash) != payload.get("p"):
        return None
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password and end every other session of this person."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    # Whoever can use a link sent to this address owns it.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.flush()


def set_mail_choice(user: User, *, discreet: bool) -> None:
    """The person's own choice: discreet e-mail (the default) or ordinary e-mail that may name
    their application. It changes nothing for the other members of their organisation."""
    user.discreet_mail = discreet
    db.session.flush()
    logger.info("User %s chose %s e-mail", user.id, "discreet" if discreet else "ordinary")


class TooManyInvitations(InvitationError):
    """More invitations in a short time than the limit allows."""

    status = 429


def refuse_too_many_invitations(by: User, organisation: Organisation | None) -> None:
    """Every invitation sends an e-mail to an address of the inviter's choosing, with a name
    they chose: at most INVITATION_RATE_LIMIT per inviting account and
    ORGANISATION_INVITATION_RATE_LIMIT into one organisation. The refusal says from when the
    next one can go; nothing is counted for a refused one."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return
    counters = [
        (item, ("invitation-by", str(by.id)))
        for item in parse_many(config["INVITATION_RATE_LIMIT"])
    ]
    if organisation is not None:
        counters += [
            (item, ("invitation-into", str(organisation.id)))
            for item in parse_many(config["ORGANISATION_INVITATION_RATE_LIMIT"])
        ]
    for item, keys in counters:
        if not limiter.limiter.test(item, *keys):
            reset = limiter.limiter.get_window_stats(item, *keys).reset_time
            raise TooManyInvitations(
                _(
                    "You have sent many invitations in a short time. You can send the next one "
                    "from %(moment)s.",
                    moment=date_time(datetime.fromtimestamp(reset, UTC)),
                )
            )
    for item, keys in counters:
        limiter.limiter.hit(item, *keys)


def invite(
    *, email: str, role: Role, by: User, organisation: Organisation | None = None
) -> Invitation:
    """Invite someone by e-mail: a reviewer or administrator (by an administrator) or a
    colleague into an organisation (by one of its members)."""
    if role == Role.APPLICANT:
        if organisation is None or not organisation.can_invite(by):
            raise InvitationError(_("Only members of an organisation can invite people into it."))
    elif not by.has_role(Role.ADMIN):
        raise InvitationError(_("Only administrators can invite reviewers and administrators."))
    refuse_too_many_invitations(by, organisation)
    invitation = Invitation(
        email=normalise_email(email),
        role=role,
        organisation=organisation,
        invited_by=by,
        expires_at=utcnow() + timedelta(seconds=current_app.config["INVITATION_MAX_AGE"]),
    )
    db.session.add(invitation)
    db.session.flush()
    token = make_token(Purpose.INVITATION, {"i": invitation.id, "e": invitation.email})
    link = url_for("auth.accept_invitation", token=token, _external=True)
    existing = User.by_email(invitation.email)
    # Discreet unless the invited person has an account and chose ordinary mail: a discreet
    # invitation names neither the person who invites nor the organisation.
    queue_mail(
        invitation.email,
        "invitation",
        existing.locale if existing else by.locale,
        discreet=existing.discreet_mail if existing else True,
        invitation=invitation,
        link=link,
    )
    logger.info("User %s invited someone as %s", by.id, role.value)
    return invitation


INVITATION_INVALID = _l("This invitation link is not valid. Copy the whole link from the e-mail.")
INVITATION_USED = _l("This invitation was already used. You can log in.")
INVITATION_EXPIRED = _l(
    "This invitation has expired. Ask the person who invited you to send a new one."
)


def invitation_for(payload: dict) -> Invitation:
    """The invitation a link is for; raises InvitationError when it can no longer be used."""
    invitation = db.session.get(Invitation, payload.get("i"))
    if invitation is None or invitation.email != payload.get("e"):
        raise InvitationError(INVITATION_INVALID)
    if invitation.is_accepted:
        raise InvitationError(INVITATION_USED)
    if invitation.is_expired():
        raise InvitationError(INVITATION_EXPIRED)
    return invitation


def accept_invitation(
    invitation: Invitation,
    *,
    by: User | None = None,
    name: str = "",
    password: str = "",
    locale: str = "nl",
) -> User:
    """Grant the invitation's role (and membership) to the existing account accepting it (`by`),
    or, without one, create the account with the name and password given. The address is
    verified by the link itself."""
    if invitation.is_accepted or invitation.is_expired():
        raise InvitationError(INVITATION_USED if invitation.is_accepted else INVITATION_EXPIRED)
    user = by
    if user is None:
        if User.by_email(invitation.email) is not None:
            # A double click: the other request may have accepted it, and made the account,
            # just now. Then say so, rather than asking to log in to accept it.
            db.session.refresh(invitation)
            if invitation.is_accepted:
                raise InvitationError(INVITATION_USED)
            raise InvitationError(
                _l("You already have an account. Log in to accept the invitation.")
            )
        user = User(
            email=invitation.email,
            name=name.strip(),
            password_hash=hash_password(password),
            locale=locale,
            email_verified_at=utcnow(),
        )
        db.session.add(user)
    elif user.email != invitation.email:
        raise InvitationError(
            _l(
                "This invitation is for another e-mail address. Log out first. Then click the link "
                "in the e-mail again."
            )
        )
    user.add_role(invitation.role)
    if invitation.organisation is not None and not user.belongs_to(invitation.organisation):
        db.session.add(Membership(user=user, organisation=invitation.organisation))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.flush()
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    return user


def create_admin(email: str, name: str, password: str) -> tuple[User, bool]:
    """Make an administrator (command line). Returns the account and whether it was new."""
    user = User.by_email(email)
    created = user is None
    if created:
        user = User(
            email=normalise_email(email),
            name=name,
            password_hash=hash_password(password),
            email_verified_at=utcnow(),
        )
        db.session.add(user)
    user.add_role(Role.ADMIN)
    db.session.flush()
    return user, created


def pending_invitations(organisation: Organisation | None = None) -> list[Invitation]:
    query = select(Invitation).where(Invitation.accepted_at.is_(None))
    if organisation is None:
        query = query.where(Invitation.organisation_id.is_(None))
    else:
        query = query.where(Invitation.organisation_id == organisation.id)
    return list(db.session.scalars(query.order_by(Invitation.created_at.desc())))
