"""Read the HTML the pages return: elements by id, tag and attributes, and their text.

A small tree built with the standard library's parser, enough for tests to ask what a
user would see: ``Html(text).one("#trust-events")``, ``.all("button", name="...")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def walk(self) -> list[Element]:
        found: list[Element] = []
        for child in self.children:
            if isinstance(child, Element):
                found.append(child)
                found.extend(child.walk())
        return found

    def all(self, selector: str = "", **attrs: str) -> list[Element]:
        """Descendants matching ``tag``, ``#id`` or ``tag#id`` and every ``attrs`` value.

        Attribute names use ``_`` for ``-`` (``data_status="kept"``); ``class_`` matches
        one class among several.
        """
        tag, _, ident = selector.partition("#")
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        if ident:
            wanted["id"] = ident
        out = []
        for el in self.walk():
            if tag and el.tag != tag:
                continue
            if all(_matches(el, k, v) for k, v in wanted.items()):
                out.append(el)
        return out

    def one(self, selector: str = "", **attrs: str) -> Element:
        found = self.all(selector, **attrs)
        assert len(found) == 1, f"expected one {selector} {attrs}, found {len(found)}"
        return found[0]


def _matches(el: Element, name: str, value: str) -> bool:
    if name == "class":
        return value in (el.attrs.get("class") or "").split()
    return el.attrs.get(name) == value


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v if v is not None else "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def Html(text: str) -> Element:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root
