"""The steps of the application form: which form each step has, how a step is filled from and
saved to the application, and what is still missing before the application can be sent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField

from fonds.applications.forms import (
    ApproachForm,
    PlanningForm,
    ProjectForm,
    ReachForm,
)
from fonds.applications.models import Application, BudgetLine
from fonds.columns import utcnow
from fonds.extensions import db
from fonds.formatting import money
from fonds.organisations.forms import OrganisationDetailsForm
from fonds.organisations.operations import details_data, update_details


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    form: type | None = None


STEPS = [
    Step("organisation", _l("Organisation"), OrganisationDetailsForm),
    Step("project", _l("Project"), ProjectForm),
    Step("approach", _l("Community and approach"), ApproachForm),
    Step("reach", _l("Reach and safety"), ReachForm),
    Step("planning", _l("Planning and budget"), PlanningForm),
    Step("attachments", _l("Attachments")),
    Step("submit", _l("Check and send")),
]
STEP_KEYS = [step.key for step in STEPS]
BY_KEY = {step.key: step for step in STEPS}
# Steps the fund can reopen when it asks for more information.
CHANGEABLE_STEPS = STEP_KEYS[:-1]


def next_step(key: str) -> str | None:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[index + 1] if index + 1 < len(STEP_KEYS) else None


def previous_step(key: str) -> str | None:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[index - 1] if index > 0 else None


# --- filling forms ---------------------------------------------------------------------------


def stored_values(step: str, application: Application) -> dict:
    """The step's saved values, as the form's initial data."""
    organisation = application.organisation
    if step == "organisation":
        return details_data(organisation)
    if step == "project":
        return {"title": application.title, "summary": application.summary}
    if step == "approach":
        fields = [
            "communities",
            "community_other",
            "focus",
            "problem",
            "approach",
            "preventive",
            "from_within",
        ]
        return {field: getattr(application, field) for field in fields}
    if step == "reach":
        return {
            field: getattr(application, field) for field in ("participants", "sessions", "safety")
        }
    if step == "planning":
        lines = [
            {"category": line.category, "description": line.description, "amount": line.amount}
            for line in application.budget_lines
        ]
        return {
            "start_date": application.start_date,
            "end_date": application.end_date,
            "lines": lines or [{}],
            "amount_requested": application.amount_requested,
            "other_funding_amount": application.other_funding_amount,
            "other_funding": application.other_funding,
        }
    return {}


@cache
def versioned(form_class: type) -> type:
    """The step's form class with two hidden fields: the application's version as the page showed
    it, and the saved values it showed (JSON), so that a save on a page someone else has saved
    since is refused and can say what changed meanwhile."""
    return type(
        form_class.__name__,
        (form_class,),
        {"version": HiddenField(), "shown": HiddenField()},
    )


def shown_values(step: str, application: Application) -> str:
    return json.dumps(stored_values(step, application), default=str, sort_keys=True)


def build_form(step: str, application: Application, formdata=None):
    """The step's form: from what was posted, else from typed values not yet valid (kept in
    pending_input), else from the saved values. It carries the version and values shown."""
    form_class = versioned(BY_KEY[step].form)
    pending = (application.pending_input or {}).get(step)
    if formdata is None and pending:
        formdata = MultiDict(pending)
    form = form_class(formdata=formdata, data=stored_values(step, application))
    if step == "planning":
        form.round = application.round
    return form


def show_as_now(step: str, application: Application, form) -> None:
    """Make the form carry the application's version and values as they are now."""
    form.version.data = str(application.version)
    form.shown.data = shown_values(step, application)


def changed_meanwhile(step: str, application: Application, form) -> list[tuple[str, str]]:
    """(field label, value now) for every field whose saved value changed since the person's
    page was shown, by someone else's save."""
    try:
        shown = json.loads(form.shown.data or "{}")
    except ValueError:
        shown = {}
    if not isinstance(shown, dict):  # not what our page sent
        shown = {}
    now = json.loads(shown_values(step, application))
    changed = []
    for name, value in now.items():
        if name in shown and shown[name] != value and name in form:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            changed.append((str(form[name].label.text), text[:300]))
    return changed


# Form controls that are not what the person typed: never kept as pending input.
NOT_KEPT = frozenset({"csrf_token", "rescue_token", "version", "shown"})


# What is kept of values that cannot be saved yet: the longest text a step allows is 3,000
# characters, so a value of more is refused anyway and only its beginning is kept; a step has
# at most 500 budget lines of 3 fields.
MAX_KEPT_CHARACTERS = 10000
MAX_KEPT_VALUES = 2000


def keep_pending(step: str, application: Application, formdata: MultiDict) -> None:
    """Store typed values that could not be saved yet, so leaving the step loses nothing. Each
    value and their number are bounded, so a huge post is not stored whole."""
    pending = dict(application.pending_input or {})
    kept = [
        (key[:200], value[:MAX_KEPT_CHARACTERS])
        for key, values in formdata.lists()
        if key not in NOT_KEPT
        for value in values
    ]
    pending[step] = kept[:MAX_KEPT_VALUES]
    application.pending_input = pending


def clear_pending(step: str, application: Application) -> None:
    pending = dict(application.pending_input or {})
    if pending.pop(step, None) is not None:
        application.pending_input = pending


# --- saving ----------------------------------------------------------------------------------


def save_step(step: str, application: Application, form, *, by) -> None:
    """Write a valid step form to the application (or, for step 1, to the organisation)."""
    if step == "organisation":
        update_details(application.organisation, form, by=by)
    elif step == "project":
        application.title = form.title.data or ""
        application.summary = form.summary.data or ""
    elif step == "approach":
        application.communities = list(form.communities.data or [])
        application.community_other = form.community_other.data or ""
        application.focus = form.focus.data or None
        for field in ("problem", "approach", "preventive", "from_within"):
            setattr(application, field, getattr(form, field).data or "")
    elif step == "reach":
        application.participants = form.participants.data
        application.sessions = form.sessions.data
        application.safety = form.safety.data or ""
    elif step == "planning":
        application.start_date = form.start_date.data
        application.end_date = form.end_date.data
        application.amount_requested = form.amount_requested.data
        application.other_funding_amount = form.other_funding_amount.data
        application.other_funding = form.other_funding.data or ""
        replace_budget_lines(application, form)
    clear_pending(step, application)
    db.session.flush()


def replace_budget_lines(application: Application, form) -> None:
    application.budget_lines.clear()
    db.session.flush()
    position = 0
    for entry in form.lines:
        if entry.form.is_empty():
            continue
        position += 1
        application.budget_lines.append(
            BudgetLine(
                position=position,
                category=entry.form.category.data,
                description=entry.form.description.data,
                amount=entry.form.amount.data,
            )
        )


# The most budget lines an application has; more are refused with a message, not dropped.
MAX_BUDGET_LINES = 50


def lines_total(form) -> Decimal:
    """The total of the budget lines as typed in the planning form (lines whose amount cannot be
    read yet do not count)."""
    return sum(
        (
            entry.form.amount.data
            for entry in form.lines
            if not entry.form.is_empty() and entry.form.amount.data is not None
        ),
        Decimal("0.00"),
    )


def too_many_lines(form) -> str | None:
    """The message when more budget lines are filled in than an application can have."""
    filled = sum(1 for entry in form.lines if not entry.form.is_empty())
    if filled > MAX_BUDGET_LINES:
        return str(
            _l(
                "You can fill in at most %(limit)s costs; you now have %(count)s. Put costs of "
                "the same kind together on one line.",
                limit=MAX_BUDGET_LINES,
                count=filled,
            )
        )
    return None


def months_after(day: date, months: int) -> date:
    """The day `months` later; the last day there is when that is beyond the calendar (a date
    the planning form refuses, but a rule between fields must not fail on it)."""
    try:
        return day + relativedelta(months=months)
    except (OverflowError, ValueError):
        return date.max


def planning_problems(application: Application, form=None) -> dict[str, str]:
    """The rules between fields of the planning step (PRODUCT.md), as field -> message. They
    are checked when the person saves the step and on the check page, never while adding or
    removing a budget line."""
    round_ = application.round
    if form is not None:
        start, end = form.start_date.data, form.end_date.data
        requested = form.amount_requested.data
        other = form.other_funding_amount.data
        total = lines_total(form)
    else:
        start, end = application.start_date, application.end_date
        requested, total = application.amount_requested, application.budget_total
        other = application.other_funding_amount
    problems: dict[str, str] = {}
    if start and end:
        if end <= start:
            problems["end_date"] = str(_l("The end date must be after the start date."))
        elif end > months_after(start, round_.max_duration_months):
            problems["end_date"] = str(
                _l(
                    "Your project can last at most %(months)s months. Choose an earlier end date.",
                    months=round_.max_duration_months,
                )
            )
    if requested is not None:
        if requested < round_.min_grant:
            problems["amount_requested"] = str(
                _l("Ask for at least %(amount)s.", amount=money(round_.min_grant))
            )
        elif requested > round_.max_grant:
            problems["amount_requested"] = str(
                _l("Ask for at most %(amount)s.", amount=money(round_.max_grant))
            )
        elif total and requested > total:
            problems["amount_requested"] = str(
                _l(
                    "You ask for more than your budget: %(total)s. Ask for less, or add the "
                    "missing costs to the budget.",
                    total=money(total),
                )
            )
    if requested is not None and total and "amount_requested" not in problems:
        covered = requested + (other or Decimal("0.00"))
        amounts = {
            "total": money(total),
            "requested": money(requested),
            "other": money(other or Decimal("0.00")),
            "difference": money(abs(total - covered)),
        }
        if covered < total:
            problems["other_funding_amount"] = str(
                _l(
                    "Your budget is %(total)s. You ask %(requested)s from us and get "
                    "%(other)s from others, so %(difference)s is not covered. Fill in the money "
                    "from others, ask for more, or lower the budget.",
                    **amounts,
                )
            )
        elif covered > total:
            problems["other_funding_amount"] = str(
                _l(
                    "Your budget is %(total)s. You ask %(requested)s from us and get "
                    "%(other)s from others: that is %(difference)s more than the budget. Lower "
                    "the money from others, or add the missing costs to the budget.",
                    **amounts,
                )
            )
    return problems


def why_not_change(application: Application, step: str, user) -> str | None:
    """Why this person may not change the step now (a sentence that says what to do instead),
    or None when they may."""
    if not (user.is_authenticated and user.belongs_to(application.organisation)):
        return str(_l("Only members of the organisation that applies can change the application."))
    steps = application.editable_steps()
    if steps is None or step in steps:
        return None
    if steps:
        return str(
            _l(
                "Our question is about other steps. You may change only these now: %(steps)s.",
                steps=", ".join(str(BY_KEY[key].title) for key in STEP_KEYS if key in steps),
            )
        )
    return str(
        _l(
            "You have sent the application already, so you can no longer change this step. If "
            "we ask you a question, you may change the steps the question is about."
        )
    )


# --- completeness ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    step: str
    field: str | None
    message: str


ORGANISATION_MESSAGES = {
    "name": _l("Fill in the legal name of your organisation."),
    "legal_form": _l("Choose the legal form of your organisation."),
    "kvk_number": _l("Fill in the KvK number of your organisation."),
    "host_organisation": _l("Fill in the name of your host organisation."),
    "street": _l("Fill in the street and house number."),
    "postcode": _l("Fill in the postcode."),
    "city": _l("Fill in the town or city."),
    "iban": _l("Fill in the IBAN."),
    "account_holder": _l("Fill in the name of the account holder."),
    "contact_name": _l("Fill in the name of the contact person."),
    "contact_email": _l("Fill in the e-mail address of the contact person."),
    "contact_phone": _l("Fill in the phone number of the contact person."),
}

REQUIRED = {
    "project": {
        "title": _l("Fill in the title of your project."),
        "summary": _l("Write a short summary of your project."),
    },
    "approach": {
        "communities": _l("Choose at least one community."),
        "focus": _l("Choose who your project is mainly for."),
        "problem": _l("Write what you want to change, and why."),
        "approach": _l("Describe what you are going to do."),
        "preventive": _l("Write what you want to prevent, and how you do that."),
        "from_within": _l("Describe how your project works from within the community."),
    },
    "reach": {
        "participants": _l("Fill in how many participants you expect."),
        "sessions": _l("Fill in how many meetings or activities you plan."),
        "safety": _l("Describe how you keep participants safe."),
    },
    "planning": {
        "start_date": _l("Fill in the start date."),
        "end_date": _l("Fill in the end date."),
        "amount_requested": _l("Fill in the amount you ask for."),
    },
}


def missing_items(application: Application) -> list[Missing]:
    """Everything that must be filled in or fixed before the application can be sent."""
    missing = [
        Missing("organisation", field, str(ORGANISATION_MESSAGES[field]))
        for field in application.organisation.missing_details()
    ]
    for step, fields in REQUIRED.items():
        for field, message in fields.items():
            if getattr(application, field) in (None, "", []):
                missing.append(Missing(step, field, str(message)))
    if "other" in (application.communities or []) and not application.community_other:
        missing.append(
            Missing("approach", "community_other", str(_l("Describe the other community.")))
        )
    if not application.budget_lines:
        missing.append(
            Missing(
                "planning", "lines-0-category", str(_l("Add at least one cost to your budget."))
            )
        )
    for field, message in planning_problems(application).items():
        missing.append(Missing("planning", field, message))
    for step in application.pending_input or {}:
        missing.append(
            Missing(
                step,
                None,
                str(
                    _l(
                        "In the step ‘%(step)s’ something is not right yet. Open the step: next "
                        "to the field it says what to change.",
                        step=BY_KEY[step].title if step in BY_KEY else step,
                    )
                ),
            )
        )
    # Sending again after a question: only the parts that may change count. The rest was
    # accepted when it was sent (perhaps under older rules) and cannot be changed now, so it
    # must not stop the applicant from answering.
    open_steps = application.editable_steps()
    if open_steps is not None:
        missing = [item for item in missing if item.step in open_steps]
    return missing


def may_change_step(application: Application, step: str) -> bool:
    if not application.can_edit(current_user):
        return False
    steps = application.editable_steps()
    return steps is None or step in steps


def changeable_steps(application: Application) -> list[str]:
    """The steps this person may change now (all of a draft; the ones the fund named while it
    asks for more information)."""
    return [step.key for step in STEPS[:-1] if may_change_step(application, step.key)]


def step_context(application: Application, step: str) -> dict:
    """What a step's page needs. "Save and continue" and "Save and go back" lead to the next
    and the previous step that may change now, and from the last one to checking and sending:
    while the fund asks for more information, the steps it did not name are passed by."""
    open_steps = set(changeable_steps(application)) | {"submit"}
    later = [key for key in STEP_KEYS[STEP_KEYS.index(step) + 1 :] if key in open_steps]
    earlier = [key for key in STEP_KEYS[: STEP_KEYS.index(step)] if key in open_steps]
    if not application.can_edit(current_user):
        later, earlier = [next_step(step)], [previous_step(step)]
    return {
        "application": application,
        "steps": STEPS,
        "current": BY_KEY[step],
        "previous": earlier[-1] if earlier else None,
        "next": later[0] if later else None,
        "editable": may_change_step(application, step),
        "why_not_change": why_not_change(application, step, current_user),
        "info_request": application.open_info_request,
        "now": utcnow(),
    }
