"""The request class of the app: typed text never carries NUL characters.

A NUL character (U+0000) is never meant in a form or a link, and PostgreSQL cannot store it in
text: without this, pasting one into any field would end in a server error on PostgreSQL while
SQLite stores it. Removing it from every submitted value and query parameter, before any form
sees it, keeps everything else the person typed."""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property


def _without_nul(values: ImmutableMultiDict) -> ImmutableMultiDict:
    if not any("\x00" in value for _key, value in values.items(multi=True)):
        return values
    return ImmutableMultiDict(
        [
            (key.replace("\x00", ""), value.replace("\x00", ""))
            for key, value in values.items(multi=True)
        ]
    )


class FondsRequest(Request):
    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict:
        return _without_nul(super().args)
