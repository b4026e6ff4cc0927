"""The forms and links a page shows, read from its HTML as a browser would: each form with its
action, the values it would send (hidden fields, checked boxes, selected options, typed text)
and its buttons. Tests use it to press a button that is on the page instead of posting to an
endpoint, so a missing button makes the test fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Button:
    text: str
    name: str | None
    value: str


@dataclass
class Form:
    action: str
    method: str
    values: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    def button(self, text: str) -> Button | None:
        return next((b for b in self.buttons if b.text == text), None)

    def data(self, button: Button, **typed) -> list[tuple[str, str]]:
        """What pressing `button` sends, after typing `typed` into the fields (a value of a
        list ticks several checkboxes)."""
        sent = [(name, value) for name, value in self.values if name not in typed]
        for name, value in typed.items():
            for one in value if isinstance(value, list) else [value]:
                sent.append((name, one))
        if button.name:
            sent.append((button.name, button.value))
        return sent


@dataclass
class Link:
    href: str
    text: str


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[Link] = []
        self._form: Form | None = None
        self._text: list[str] | None = None  # text of the open button, link or textarea
        self._open: tuple | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "a" and attrs.get("href") is not None:
            self._open, self._text = ("a", attrs["href"]), []
        elif self._form is None:
            return
        elif tag == "button":
            self._open, self._text = ("button", attrs.get("name"), attrs.get("value", "")), []
        elif tag == "input":
            kind = attrs.get("type", "text")
            name = attrs.get("name")
            if kind == "submit":
                self._form.buttons.append(
                    Button(attrs.get("value", ""), name, attrs.get("value", ""))
                )
            elif (
                name
                and kind != "file"
                and (kind not in ("checkbox", "radio") or "checked" in attrs)
            ):
                self._form.values.append((name, attrs.get("value", "")))
        elif tag == "textarea":
            self._open, self._text = ("textarea", attrs.get("name")), []
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self._form.values.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        text = " ".join("".join(self._text or []).split())
        if tag == "a" and self._open and self._open[0] == "a":
            self.links.append(Link(self._open[1], text))
        elif tag == "button" and self._open and self._open[0] == "button" and self._form:
            self._form.buttons.append(Button(text, self._open[1], self._open[2]))
        elif tag == "textarea" and self._open and self._open[0] == "textarea" and self._form:
            self._form.values.append((self._open[1], "".join(self._text or [])))
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None
        if tag in ("a", "button", "textarea"):
            self._open, self._text = None, None


def read_page(html: str) -> tuple[list[Form], list[Link]]:
    reader = _Reader()
    reader.feed(html)
    return reader.forms, reader.links


def find_button(html: str, action: str, text: str, url: str = "") -> tuple[Form, Button] | None:
    """The form posting to `action` with a button saying `text`, as the page at `url` shows it
    (a form without an action posts to the page's own address, without its query)."""
    forms, _links = read_page(html)
    for form in forms:
        form.action = form.action or url.split("?")[0]
        button = form.button(text)
        if form.action == action and button is not None:
            return form, button
    return None


def find_link(html: str, text: str) -> Link | None:
    _forms, links = read_page(html)
    return next((link for link in links if link.text == text), None)
