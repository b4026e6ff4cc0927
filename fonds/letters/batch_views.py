"""A round's letters: how many decided applications have theirs, "issue all missing letters"
(background work on the task queue), and the run's live progress (a JSON endpoint the page's
script polls; without the script, the page itself shows the same and can be reloaded)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from fonds.extensions import db
from fonds.letters import bp
from fonds.letters.batch import (
    Progress,
    batch_progress,
    check_start,
    decided_letters,
    latest_batch,
    letter_counts,
    start_batch,
)
from fonds.letters.models import KIND_LABELS, LetterBatch
from fonds.letters.operations import LetterRefused
from fonds.letters.queries import decision_page
from fonds.permissions import role_required
from fonds.queue import enqueue
from fonds.roles import Role
from fonds.rounds.queries import load_round
from fonds.runner import run_returning


def failure_url(failure) -> str:
    return decision_page(failure.application_id, failure.status)


def summary(progress: Progress) -> str:
    """One sentence on where the run stands, for the page and for the script."""
    counts = {"done": progress.done, "total": progress.total, "failed": progress.failed}
    if progress.superseded and not progress.finished:
        return ngettext(
            "This run was stopped and started again. This time %(num)s of the %(total)s "
            "letters was issued.",
            "This run was stopped and started again. This time %(num)s of the %(total)s "
            "letters were issued.",
            progress.done,
            total=progress.total,
        )
    if progress.finished:
        if progress.failed:
            return ngettext(
                "Done: %(done)s of %(total)s letters issued. %(num)s could not be issued; see "
                "the reason below.",
                "Done: %(done)s of %(total)s letters issued. %(num)s could not be issued; see "
                "the reasons below.",
                progress.failed,
                done=progress.done,
                total=progress.total,
            )
        return ngettext(
            "Done: the letter is issued.",
            "Done: all %(num)s letters are issued.",
            progress.total,
        )
    if progress.stalled:
        return _(
            "%(done)s of %(total)s letters issued, but nothing has happened for a while. The "
            "background worker may have stopped. Start again to issue the missing letters; "
            "letters that were issued already are not issued twice.",
            **counts,
        )
    if progress.failed:
        return ngettext(
            "%(done)s of %(total)s letters issued, %(num)s could not be issued. Busy…",
            "%(done)s of %(total)s letters issued, %(num)s could not be issued. Busy…",
            progress.failed,
            done=progress.done,
            total=progress.total,
        )
    return _("%(done)s of %(total)s letters issued. Busy…", **counts)


@bp.route("/rounds/<int:round_id>")
@role_required(Role.ADMIN)
def round_letters(round_id: int):
    """A round's letters: the counts, every decided application with its letter or none yet
    (with `post=1` only those whose letter must also go by post), and the latest run of "issue
    all missing letters"."""
    round_ = load_round(round_id)
    batch = latest_batch(round_)
    progress = batch_progress(batch) if batch is not None else None
    letters = decided_letters(round_)
    post_only = request.args.get("post") == "1"
    return render_template(
        "letter_pages/round.html",
        round=round_,
        counts=letter_counts(round_),
        letters=[row for row in letters if row.by_post] if post_only else letters,
        by_post_count=sum(row.by_post for row in letters),
        post_only=post_only,
        kind_labels=KIND_LABELS,
        decision_page=decision_page,
        progress=progress,
        summary=summary(progress) if progress is not None else "",
        failure_url=failure_url,
    )


@bp.route("/rounds/<int:round_id>/issue-all", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def issue_all(round_id: int):
    """Issue every missing letter of the round in the background. Issuing is final, so it asks
    first: GET (or a POST without `confirmed`) lists what will be issued and to whom; the
    question's "Yes" writes the run down and puts it on the queue."""
    round_ = load_round(round_id)
    back = url_for("letters.round_letters", round_id=round_.id)
    confirmed = request.method == "POST" and request.form.get("confirmed") == "yes"
    if not confirmed:
        try:
            check_start(round_)
        except LetterRefused as refused:
            flash(str(refused), "error")
            return redirect(back)
        return render_template(
            "letter_pages/confirm_batch.html",
            round=round_,
            letters=decided_letters(round_, missing_only=True),
            kind_labels=KIND_LABELS,
            decision_page=decision_page,
            back=back,
        )
    batch, refused = run_returning(
        lambda: start_batch(round_, by=current_user, locale=str(get_locale())),
        stale=_("Someone else started issuing this round's letters just now."),
    )
    if refused is not None:
        flash(str(refused), "error")
        return redirect(back)
    enqueue("letters.run_batch", batch.id)
    # No flash: the page itself says the letters are being issued while the run lasts, so the
    # sentence goes when the run ends (see round.html and followBatch in fonds.js).
    return redirect(back + "#progress")


@bp.route("/batches/<int:batch_id>/progress.json")
@role_required(Role.ADMIN)
def batch_progress_json(batch_id: int):
    batch = db.session.get(LetterBatch, batch_id)
    if batch is None:
        return jsonify({"error": "not found"}), 404
    progress = batch_progress(batch)
    counts = letter_counts(batch.round)
    return jsonify(
        {
            "issued_in_round": counts.issued,
            "missing_in_round": counts.missing,
            "total": progress.total,
            "done": progress.done,
            "failed": progress.failed,
            "pending": progress.pending,
            "finished": progress.finished,
            "stalled": progress.stalled,
            "superseded": progress.superseded,
            "summary": summary(progress),
            "failures": [
                {
                    "reference": failure.reference,
                    "url": failure_url(failure),
                    "reason": failure.reason,
                }
                for failure in progress.failures
            ],
        }
    )
