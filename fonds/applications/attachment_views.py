"""Step 6 of the application: adding, listing, downloading and deleting attachments."""

from __future__ import annotations

import logging
from functools import partial

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fonds.applications import attachments as attachment_ops
from fonds.applications import bp
from fonds.applications.forms import AttachmentForm
from fonds.applications.models import Application, Attachment
from fonds.applications.operations import record_view
from fonds.applications.queries import load_application
from fonds.applications.steps import may_change_step, step_context, why_not_change
from fonds.extensions import db
from fonds.refusals import Stale
from fonds.reviews.operations import reviewer_may_read
from fonds.runner import run, run_returning

logger = logging.getLogger(__name__)


def load_attachment(application: Application, attachment_id: int) -> Attachment:
    """404 unless the attachment belongs to this (visible) application."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.application_id != application.id:
        abort(404)
    return attachment


def render_step(application: Application, form: AttachmentForm, status: int = 200):
    form.file.description = " ".join(
        [
            attachment_ops.allowed(),
            _("You can add at most %(count)s attachments.", count=attachment_ops.max_count()),
        ]
    )
    page = render_template(
        "applications/steps/attachments.html",
        form=form,
        max_count=attachment_ops.max_count(),
        kind_label=attachment_ops.kind_label,
        **step_context(application, attachment_ops.STEP),
    )
    return page, status


def after_saving(application: Application):
    """Where the step's buttons lead: on to checking, back to the previous step that may change
    now, or here."""
    if "next" in request.form:
        return redirect(url_for("applications.check", application_id=application.id))
    previous = step_context(application, attachment_ops.STEP)["previous"]
    if "previous" in request.form and previous:
        return redirect(url_for("applications.step", application_id=application.id, step=previous))
    return redirect(url_for("applications.attachments", application_id=application.id))


def refuse_change(application: Application):
    flash(why_not_change(application, attachment_ops.STEP, current_user), "error")
    return redirect(url_for("applications.attachments", application_id=application.id))


ATTEMPTS = 5


def add(application: Application, data: bytes, filename: str | None, added: list) -> None:
    added.append(attachment_ops.store_attachment(application, data, filename, by=current_user))


@bp.route("/<int:application_id>/attachments", methods=["GET", "POST"])
@login_required
def attachments(application_id: int):
    """The attachments and a form to add one. A file that is refused leaves the page as it was
    and stores nothing; the message says what is allowed."""
    application = load_application(application_id)
    form = AttachmentForm()
    if request.method == "GET":
        record_view(application, "attachments", by=current_user)
        db.session.commit()
        return render_step(application, form)

    upload = request.files.get(form.file.name)
    # One byte more than allowed is enough to know a file is too large.
    data = upload.stream.read(attachment_ops.max_bytes() + 1) if upload is not None else b""
    chose_file = upload is not None and bool(upload.filename or data)
    if not chose_file and ("next" in request.form or "previous" in request.form):
        return after_saving(application)  # nothing to add: just move on
    if not may_change_step(application, attachment_ops.STEP):
        return refuse_change(application)
    if not chose_file:
        form.file.errors = [_("Choose a file to add.")]
        return render_step(application, form, 422)

    # Another upload to the same application at the same moment makes this one lose a race
    # (see store_attachment); it then counts again, a few times, before it gives up.
    for attempt in range(ATTEMPTS):
        added = []
        try:
            refused = run(partial(add, application, data, upload.filename, added))
        except OSError:
            db.session.rollback()
            logger.exception("Could not write an attachment of application %s", application.id)
            form.file.errors = [_("We could not save your file. Please try again later.")]
            return render_step(application, form, 500)
        except BaseException:
            for attachment in added:
                attachment_ops.remove_file(
                    attachment_ops.stored_path(attachment)
                )  # no row, so no file either
            raise
        if refused is None:
            break
        for attachment in added:
            attachment_ops.remove_file(
                attachment_ops.stored_path(attachment)
            )  # no row, so no file either
        db.session.expire_all()
        if isinstance(refused, Stale) and attempt + 1 < ATTEMPTS:
            continue
        logger.info(
            "Refused a file for application %s from user %s: %s",
            application.id,
            current_user.id,
            refused,
        )
        form.file.errors = [str(refused)]
        return render_step(application, form, refused.status)
    flash(_("The file %(name)s is added.", name=added[0].original_name), "success")
    return after_saving(application)


@bp.route("/<int:application_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(application_id: int, attachment_id: int):
    """Delete an attachment while the application may change; the file goes after the commit."""
    application = load_application(application_id)
    attachment = load_attachment(application, attachment_id)
    if not may_change_step(application, attachment_ops.STEP):
        return refuse_change(application)
    name = attachment.original_name
    path, refused = run_returning(
        lambda: attachment_ops.delete_attachment(attachment, by=current_user)
    )
    if refused is not None:  # refused, or deleted at the same moment in another tab
        flash(str(refused), "error")
        return redirect(url_for("applications.attachments", application_id=application.id))
    attachment_ops.remove_file(path)
    flash(_("The file %(name)s is deleted.", name=name), "success")
    return redirect(url_for("applications.attachments", application_id=application.id))


@bp.route("/<int:application_id>/attachments/<int:attachment_id>")
@login_required
def download_attachment(application_id: int, attachment_id: int):
    """The file as it was added, for people who may see the application; never shown inline,
    never cached, never sniffed as another type. Reviewers who declared they have no conflict
    of interest may download too."""
    application = db.session.get(Application, application_id)
    if application is None or not (
        application.can_view(current_user) or reviewer_may_read(application, current_user)
    ):
        abort(404)
    attachment = load_attachment(application, attachment_id)
    path = attachment_ops.stored_path(attachment)
    if not path.is_file():
        logger.error("The file of attachment %s is missing", attachment.id)
        abort(404)
    record_view(application, f"attachment:{attachment.id}", by=current_user)
    db.session.commit()
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        conditional=False,
        etag=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
