"""Four eyes: an administrator proposes a decision on a reviewed application; a second
administrator, who did not propose it and has no conflict, confirms it or sends it back. The
rules are the workflow table's guards; each verb flushes and the view commits once."""

from __future__ import annotations

import logging
from decimal import Decimal

from flask_babel import gettext as _

from fonds.applications.models import Application
from fonds.applications.workflow import apply_transition
from fonds.auth.models import User
from fonds.columns import utcnow
from fonds.decisions.models import Decision, DecisionState, Outcome
from fonds.decisions.queries import current_decision
from fonds.extensions import db
from fonds.workflow import TransitionRefused

logger = logging.getLogger(__name__)


def propose(
    application: Application,
    *,
    by: User,
    outcome: str,
    motivation: str,
    amount: Decimal | None = None,
    points: dict[int, str] | None = None,
    partial_reason: str = "",
) -> Decision:
    """Award (at most the amount requested, possibly less, and then with the reason why) or
    reject, with a motivation and the fund's points per rubric criterion (optional, by
    criterion id): the letter prints them next to the scores."""
    outcome = Outcome(outcome)
    requested = application.amount_requested
    partial_reason = partial_reason.strip()
    if outcome == Outcome.APPROVE:
        if amount is None or amount <= 0:
            raise TransitionRefused(_("Fill in the amount to award."))
        if requested is not None and amount > requested:
            raise TransitionRefused(_("The amount may not be more than the amount requested."))
        if requested is not None and amount < requested:
            if not partial_reason:
                raise TransitionRefused(
                    _("Say why you award less than the amount requested. The applicant reads it.")
                )
        else:
            partial_reason = ""
    else:
        amount = None
        partial_reason = ""
    criteria = {criterion.id for criterion in application.round.criteria}
    kept = {
        str(criterion_id): text.strip()
        for criterion_id, text in (points or {}).items()
        if criterion_id in criteria and text and text.strip()
    }
    apply_transition(application, "propose_decision", by=by, message=motivation.strip())
    decision = Decision(
        application_id=application.id,
        outcome=outcome.value,
        amount=amount,
        motivation=motivation.strip(),
        criterion_points=kept,
        partial_reason=partial_reason,
        proposed_by_id=by.id,
    )
    db.session.add(decision)
    db.session.flush()
    logger.info(
        "Decision %s proposed for application %s by user %s", decision.id, application.id, by.id
    )
    return decision


def confirm(application: Application, *, by: User) -> Decision:
    """The second administrator confirms the proposal: the application is awarded or rejected
    and the decision is final from now on. The applicant learns it from the letter
    (letters.issue_letter), not before."""
    decision = current_decision(application)
    name = (
        "confirm_approval"
        if decision is not None and decision.outcome == Outcome.APPROVE.value
        else "confirm_rejection"
    )
    apply_transition(
        application, name, by=by, message=decision.motivation if decision is not None else ""
    )
    decision.state = DecisionState.CONFIRMED.value
    decision.decided_by_id = by.id
    decision.decided_at = utcnow()
    db.session.flush()
    logger.info("Decision %s confirmed by user %s", decision.id, by.id)
    return decision


def send_back(application: Application, *, by: User, reason: str) -> Decision:
    """The second administrator does not agree: the application is reviewed again and a new
    proposal can be made. The reason is for the colleague, not for the applicant."""
    decision = current_decision(application)
    apply_transition(application, "send_back", by=by, message=reason.strip())
    decision.state = DecisionState.SENT_BACK.value
    decision.decided_by_id = by.id
    decision.decided_at = utcnow()
    decision.send_back_reason = reason.strip()
    db.session.flush()
    logger.info("Decision %s sent back by user %s", decision.id, by.id)
    return decision
