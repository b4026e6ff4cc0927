"""Applications, their budget lines, attachments, requests for more information and history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fonds.columns import Money, UTCDateTime, utcnow
from fonds.extensions import db


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INFO_REQUESTED = "info_requested"
    NOT_ADMISSIBLE = "not_admissible"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    DECISION_PROPOSED = "decision_proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def explanation(self) -> str:
        """What this status means for the applicant and what happens next."""
        return str(STATUS_EXPLANATIONS[self])


STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Sent"),
    Status.INFO_REQUESTED: _l("More information requested"),
    Status.NOT_ADMISSIBLE: _l("Not admissible"),
    Status.IN_REVIEW: _l("Being assessed"),
    Status.REVIEWED: _l("Assessed"),
    Status.DECISION_PROPOSED: _l("Decision being made"),
    Status.APPROVED: _l("Awarded"),
    Status.REJECTED: _l("Rejected"),
    Status.WITHDRAWN: _l("Withdrawn"),
}

STATUS_EXPLANATIONS = {
    Status.DRAFT: _l(
        "You have not sent this application yet. You can change it. Send it before the round "
        "closes."
    ),
    Status.SUBMITTED: _l(
        "We have received your application. We first check if it meets the conditions. We "
        "will tell you if we need more information."
    ),
    Status.INFO_REQUESTED: _l(
        "We need more information from you. Read our question below, change what we ask about "
        "and send your application again."
    ),
    Status.NOT_ADMISSIBLE: _l("We do not handle your application. Our letter explains why."),
    Status.IN_REVIEW: _l(
        "Your application meets the conditions. Independent reviewers are now assessing it."
    ),
    Status.REVIEWED: _l("The reviewers have assessed your application. We will make a decision."),
    Status.DECISION_PROPOSED: _l(
        "We are making a decision about your application. You will get an e-mail as soon as "
        "our letter with the decision is ready."
    ),
    Status.APPROVED: _l(
        "We award your application. Our letter says what this means: the amount, the "
        "conditions and the payments."
    ),
    Status.REJECTED: _l("We reject your application. Our letter explains why."),
    Status.WITHDRAWN: _l("You have withdrawn this application. We will not handle it."),
}

# Statuses that are a decision about the application, made known to the applicant by a letter.
DECIDED = frozenset({Status.APPROVED, Status.REJECTED, Status.NOT_ADMISSIBLE})

STATUS_VALUES = ", ".join(f"'{s.value}'" for s in Status)


class Focus(enum.StrEnum):
    WOMEN_GIRLS = "women_girls"
    LGBTIQ = "lgbtiq"
    BOTH = "both"


FOCUS_LABELS = {
    Focus.WOMEN_GIRLS: _l("Women and girls"),
    Focus.LGBTIQ: _l("LGBTIQ+ people"),
    Focus.BOTH: _l("Both"),
}

# Target communities of PRODUCT.md, in the order the form shows them.
COMMUNITIES = {
    "turkish": _l("Turkish-Dutch"),
    "moroccan": _l("Moroccan-Dutch"),
    "somali": _l("Somali-Dutch"),
    "eritrean": _l("Eritrean-Dutch"),
    "syrian": _l("Syrian-Dutch"),
    "afghan": _l("Afghan-Dutch"),
    "hindustani": _l("Hindustani"),
    "caribbean": _l("Caribbean"),
    "orthodox_protestant": _l("Orthodox Protestant"),
    "evangelical": _l("Evangelical"),
    "catholic": _l("Catholic"),
    "other": _l("Other"),
}

BUDGET_CATEGORIES = {
    "personnel": _l("Staff and fees"),
    "dialogue_leaders": _l("Dialogue leaders and volunteers"),
    "venue": _l("Venue and catering"),
    "materials": _l("Materials"),
    "communication": _l("Communication"),
    "training": _l("Training"),
    "travel": _l("Travel"),
    "other": _l("Other costs"),
}


class Application(db.Model):
    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT, index=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    version: Mapped[int] = mapped_column(default=1)  # optimistic locking
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Project
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    # Community and approach
    communities: Mapped[list] = mapped_column(JSON, default=list)  # keys of COMMUNITIES
    community_other: Mapped[str] = mapped_column(String(200), default="")
    focus: Mapped[str | None] = mapped_column(String(20))
    problem: Mapped[str] = mapped_column(Text, default="")
    approach: Mapped[str] = mapped_column(Text, default="")
    preventive: Mapped[str] = mapped_column(Text, default="")
    from_within: Mapped[str] = mapped_column(Text, default="")
    # Reach and safety (numbers only: never lists of participants)
    participants: Mapped[int | None]
    sessions: Mapped[int | None]
    safety: Mapped[str] = mapped_column(Text, default="")
    # Planning and budget
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    amount_requested: Mapped[Decimal | None] = mapped_column(Money)
    other_funding_amount: Mapped[Decimal | None] = mapped_column(Money)
    other_funding: Mapped[str] = mapped_column(Text, default="")
    # Declarations, given when submitting
    declared_truthful: Mapped[bool] = mapped_column(default=False)
    declared_privacy: Mapped[bool] = mapped_column(default=False)
    # May the fund publish an award (organisation, project title, amount)? Asked when sending;
    # no unless the applicant says yes.
    publication_consent: Mapped[bool] = mapped_column(default=False)
    # Awb rounds ask when sending whether decisions may come through the portal only (art. 2:14
    # Awb); without a yes the letters also go by post. None: not asked (a private round, or
    # sent before the question existed).
    electronic_delivery_consent: Mapped[bool | None] = mapped_column()
    # When the applicant was told the decision: the moment its letter was issued. Until then
    # the applying organisation sees that a decision is being made, never the outcome.
    decision_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Typed values that did not pass validation yet, per step, so leaving a step loses nothing.
    pending_input: Mapped[dict] = mapped_column(JSON, default=dict)
    # The organisation's details as they were when the application was (re)submitted.
    organisation_snapshot: Mapped[dict | None] = mapped_column(JSON)

    round = relationship("Round")
    organisation = relationship("Organisation")
    created_by = relationship("User")
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="BudgetLine.position"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationEvent.id",
    )
    info_requests: Mapped[list[InfoRequest]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="InfoRequest.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(f"status IN ({STATUS_VALUES})", name="known_status"),
        CheckConstraint(
            "focus IS NULL OR focus IN ('women_girls', 'lgbtiq', 'both')", name="known_focus"
        ),
        CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
        CheckConstraint("sessions IS NULL OR sessions >= 0", name="sessions"),
        CheckConstraint("amount_requested IS NULL OR amount_requested > 0", name="amount_positive"),
        CheckConstraint(
            "other_funding_amount IS NULL OR other_funding_amount >= 0",
            name="other_funding_not_negative",
        ),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR end_date > start_date",
            name="ends_after_start",
        ),
        # Everything past the draft has a reference and a moment of submission.
        CheckConstraint(
            "status IN ('draft', 'withdrawn') OR (reference IS NOT NULL AND submitted_at IS NOT "
            "NULL)",
            name="submitted_has_reference",
        ),
    )

    @property
    def state(self) -> Status:
        return Status(self.status)

    @property
    def applicant_state(self) -> Status:
        """The status as the applying organisation sees it: a decision is known from its letter,
        so until the letter is issued it reads as a decision being made."""
        if self.state in DECIDED and self.decision_published_at is None:
            return Status.DECISION_PROPOSED
        return self.state

    def state_for(self, user) -> Status:
        """The status this person may see: members of the applying organisation see
        `applicant_state`, the fund sees the status itself."""
        if user.is_authenticated and user.belongs_to(self.organisation):
            return self.applicant_state
        return self.state

    def history_for(self, user) -> list[ApplicationEvent]:
        """The history entries this person may see, newest first. The applying organisation
        does not see the fund's internal steps' messages (see ApplicationEvent.internal), and
        sees a decision only once its letter is issued."""
        events = list(reversed(self.events))
        if self.state_for(user) == self.state:
            return events
        return [event for event in events if Status(event.to_status) not in DECIDED]

    @property
    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines), Decimal("0.00"))

    @property
    def open_info_request(self) -> InfoRequest | None:
        for request in reversed(self.info_requests):
            if request.resolved_at is None:
                return request
        return None

    @property
    def display_title(self) -> str:
        return self.title or str(_l("Application without a title"))

    # Permissions: used by views and templates alike.

    def can_view(self, user) -> bool:
        """Members of the organisation always; administrators once it has been sent (a draft
        is the organisation's own). Reviewers get their own view with the review work."""
        from fonds.roles import Role

        if not user.is_authenticated:
            return False
        if user.belongs_to(self.organisation):
            return True
        return self.submitted_at is not None and user.has_role(Role.ADMIN)

    def can_edit(self, user) -> bool:
        """Members change a draft, or the parts asked for while more information is requested."""
        return (
            user.is_authenticated
            and user.belongs_to(self.organisation)
            and self.state in (Status.DRAFT, Status.INFO_REQUESTED)
        )

    def conflict_for(self, user, reviews: list | None = None) -> str | None:
        """Why this administrator may not act on the application nor read who reviewed it and
        how (a member of the applying organisation, or a declared conflict), or None. A page
        that has the application's reviews loaded passes them and saves a query."""
        from fonds.applications.workflow import conflict_refusal

        return conflict_refusal(self, user, reviews)

    # Workflow steps: pages ask the workflow table (a dry run of every check of
    # apply_transition), never the status, so a page shows a button exactly when the step
    # behind it would be allowed.

    def may(self, name: str, user) -> bool:
        """Whether this person may make the transition `name` now."""
        return self.why_not(name, user) is None

    def why_not(self, name: str, user) -> str | None:
        """Why this person may not make the transition `name` now (for the person), or None."""
        from fonds.applications.workflow import refusal

        return refusal(self, name, user)

    def is_at(self, name: str) -> bool:
        """Whether the transition `name` starts from the current status (whoever may make it):
        a page then explains why a person cannot take the step instead of staying silent."""
        from fonds.applications.workflow import TRANSITIONS

        return self.state in TRANSITIONS[name].sources

    def can_delete(self, user) -> bool:
        """A draft is the organisation's own: its members may delete it (it was never sent, so
        there is nothing to withdraw)."""
        return (
            user.is_authenticated
            and user.belongs_to(self.organisation)
            and self.state == Status.DRAFT
            and self.submitted_at is None
        )

    def editable_steps(self) -> set[str] | None:
        """The steps that may change now: all (None) for a draft, the asked-for ones while more
        information is requested, none otherwise."""
        if self.state == Status.DRAFT:
            return None
        request = self.open_info_request
        if self.state == Status.INFO_REQUESTED and request is not None:
            return set(request.steps)
        return set()


class BudgetLine(db.Model):
    __tablename__ = "budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal] = mapped_column(Money)

    application: Mapped[Application] = relationship(back_populates="budget_lines")

    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        UniqueConstraint("application_id", "position", name="uq_budget_line_position"),
    )


class Attachment(db.Model):
    """A file stored outside the web root under a random name."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="attachments")
    uploaded_by = relationship("User")

    __table_args__ = (CheckConstraint("size > 0", name="not_empty"),)


class InfoRequest(db.Model):
    """The fund asks for more information: a question, the steps that may change, a deadline."""

    __tablename__ = "info_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    steps: Mapped[list] = mapped_column(JSON, default=list)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[Application] = relationship(back_populates="info_requests")
    requested_by = relationship("User")


class ApplicationEvent(db.Model):
    """The application's history for people: who did what, when, from which status to which."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    # Shown to the applicant (a question, a reason); internal notes belong elsewhere.
    message: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="events")
    actor = relationship("User")

    @property
    def internal(self) -> bool:
        """A proposed decision and a proposal sent back are the fund's internal work: the
        applicant sees the status, not the motivation or the reason."""
        return self.to_status == Status.DECISION_PROPOSED.value or (
            self.from_status == Status.DECISION_PROPOSED.value
            and self.to_status == Status.REVIEWED.value
        )


class ApplicationView(db.Model):
    """Who looked at which page of an application, and when: every view by someone who is not a
    member of the applying organisation (administrators, later reviewers), as PRODUCT.md's
    privacy rules ask. Members looking at their own application are not logged."""

    __tablename__ = "application_view"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # What was seen: "status", "check", "screening", "attachment:<id>".
    page: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")


class ReferenceCounter(db.Model):
    """The last reference number handed out per year (FON-2026-0042)."""

    __tablename__ = "reference_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class RescuedInput(db.Model):
    """What someone typed into a step when their session had expired, posted from their own
    step page (fonds.applications.rescue). It is given back to that person only, as a draft to
    check, after they log in again; it expires after a day. One per person, application and
    step."""

    __tablename__ = "rescued_input"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[str] = mapped_column(String(20))
    data: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "application_id", "step", name="uq_rescued_input_person_step"),
    )
