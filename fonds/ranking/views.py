"""A round's ranking page and its CSV export. Both show the rows of fonds.ranking.queries.ranking
with the same filters; the CSV escapes cells a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fonds.applications.models import COMMUNITIES
from fonds.formatting import score
from fonds.permissions import role_required
from fonds.ranking import bp
from fonds.ranking.queries import (
    FLAGS,
    RANKED_STATUSES,
    SORTS,
    calibration_details,
    corrected_reviewers,
    flag_labels,
    ranking,
)
from fonds.reviews.queries import conflicted_among
from fonds.roles import Role
from fonds.rounds.queries import load_round


def choices() -> dict:
    """The filters and order asked for, each limited to what exists (anything else: default)."""
    args = request.args
    status = args.get("status", "")
    community = args.get("community", "")
    flag = args.get("flag", "")
    sort = args.get("sort", "score")
    return {
        "calibrated": args.get("mode") == "calibrated",
        "status": status if status in {s.value for s in RANKED_STATUSES} else "",
        "community": community if community in COMMUNITIES else "",
        "flag": flag if flag in FLAGS else "",
        "sort": sort if sort in SORTS else "score",
        "descending": args.get("order", "desc" if sort != "reference" else "asc") != "asc",
    }


def calibration_moves(
    round_id: int, moved: list, calibrated: bool, hidden: frozenset[int] = frozenset()
) -> list[str]:
    """One sentence per application that calibration put on another place: the two places and
    the reviewers whose scores were corrected, except for the applications in `hidden`, whose
    reviewers the person may not know (reviews.queries.conflicted_among)."""
    details = calibration_details(round_id, [row.application_id for row in moved])
    places = _("place %(raw)s raw, place %(calibrated)s calibrated.")
    corrected = _("Corrected: %(names)s.")
    sentences = []
    for row in moved:
        raw, calibrated_place = (
            (row.other_position, row.position) if calibrated else (row.position, row.other_position)
        )
        names = [d.reviewer_name for d in details.get(row.application_id, []) if d.normalised]
        text = f"{row.reference}: " + places % {"raw": raw, "calibrated": calibrated_place}
        if names and row.application_id not in hidden:
            text += " " + corrected % {"names": ", ".join(names)}
        sentences.append(text)
    return sentences


@bp.route("/rounds/<int:round_id>")
@role_required(Role.ADMIN)
def round_ranking(round_id: int):
    round_ = load_round(round_id)
    chosen = choices()
    rows = ranking(round_, **chosen)
    moved = [row for row in rows if row.moved]
    return render_template(
        "ranking/round.html",
        round=round_,
        rows=rows,
        moves=calibration_moves(
            round_.id,
            moved,
            chosen["calibrated"],
            # Whose reviewers this administrator may not see: one query for all rows.
            conflicted_among(current_user, [row.application_id for row in moved]),
        ),
        corrected=corrected_reviewers(round_.id),
        flag_labels=flag_labels(),
        # Patterns filled per row (Jinja's own _() would format them at once).
        patterns={
            "raw_place": _("place %(position)s raw"),
            "calibrated_place": _("place %(position)s calibrated"),
            "awarded": _("awarded %(amount)s"),
        },
        decision_base=url_for("decisions.application", application_id=0)[:-1],
        status_labels={status.value: status.label for status in RANKED_STATUSES},
        chosen=chosen,
        status_options=[(status.value, status.label) for status in RANKED_STATUSES],
        community_options=[(key, str(label)) for key, label in COMMUNITIES.items()],
        show_line=chosen["sort"] == "score" and chosen["descending"],
    )


# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"): the
# four of the issue, plus tab and carriage return, which some spreadsheets strip first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value) -> str:
    """A cell as text; one that starts like a formula gets a leading apostrophe, so the
    spreadsheet shows it as text instead of running it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_filename(round_, *, calibrated: bool) -> str:
    """A Dutch file name that says the round and the scores: rangorde-<round>-gekalibreerd.csv
    or rangorde-<round>-ruwe-scores.csv (letters and digits only, so any system keeps it)."""
    folded = unicodedata.normalize("NFKD", round_.name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-")
    mode = "gekalibreerd" if calibrated else "ruwe-scores"
    return f"rangorde-{name or round_.id}-{mode}.csv"


def decimal_comma(value) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


@bp.route("/rounds/<int:round_id>.csv")
@role_required(Role.ADMIN)
def round_ranking_csv(round_id: int):
    """The ranking as it is shown, for Dutch spreadsheets: semicolons, decimal commas, UTF-8
    with a byte order mark."""
    round_ = load_round(round_id)
    rows = ranking(round_, **choices())
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Place"),
            _("Reference"),
            _("Title"),
            _("Organisation"),
            _("Status"),
            _("Communities"),
            _("Amount requested"),
            _("Amount awarded"),
            _("Reviews"),
            _("Score"),
            _("Calibrated score"),
            _("Reviewers disagree"),
            _("Knock-out"),
            _("Cumulative amount"),
            _("Within the budget"),
        ]
    )
    yes, no = _("yes"), _("no")
    for row in rows:
        writer.writerow(
            escape_cell(cell)
            for cell in [
                row.position or "",
                row.reference,
                row.title,
                row.organisation,
                row.status.label,
                ", ".join(str(COMMUNITIES.get(key, key)) for key in row.communities),
                decimal_comma(row.amount_requested),
                decimal_comma(row.amount_awarded),
                row.reviews,
                score(row.score),
                score(row.calibrated),
                yes if row.disagreement else no,
                yes if row.knock_out else no,
                decimal_comma(row.cumulative),
                yes if row.within_budget else no,
            ]
        )
    filename = csv_filename(round_, calibrated=choices()["calibrated"])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
