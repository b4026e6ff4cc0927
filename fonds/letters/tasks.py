"""The letters' background tasks on the app's queue (fonds.queue): a round's letters, one task
per letter so that every worker takes a share."""

from __future__ import annotations

from flask import Flask

from fonds import queue


def register(app: Flask) -> None:
    queue.add_tasks(app, make_tasks)


def make_tasks(app: Flask, huey) -> None:

    @huey.task(name="letters.run_batch")
    def run_letter_batch(batch_id: int) -> None:
        """Fan a letter batch out into one task per letter, so every worker takes a share."""
        from fonds.letters.batch import pending_items

        with app.app_context():
            item_ids = pending_items(batch_id)
        for item_id in item_ids:
            issue_batch_letter(item_id)

    @huey.task(name="letters.issue_item", retries=3, retry_delay=1)
    def issue_batch_letter(item_id: int) -> None:
        from fonds.letters.batch import issue_item

        with app.app_context():
            issue_item(item_id)

    app.extensions["fonds.tasks"].update(
        {"letters.run_batch": run_letter_batch, "letters.issue_item": issue_batch_letter}
    )
