"""Sender-written units of the Enron emails in the shared datasets folder.

The labels of these units live in the repository (``data/coach/enron-labels.jsonl``);
the text stays in ``../shared``: :func:`units` cuts every email the same way each time,
so a unit is named by its email file and its number within that email.

A unit is one paragraph the sender wrote (long paragraphs are cut into runs of at most
three sentences). Quoted replies, forwarded messages and header blocks are not the
sender's words and are cut off; repeats of a unit already seen (the same email filed in
two folders) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FOLDER = "enron-with-categories"

#: Where the sender's own text ends: a forwarded or quoted message begins.
_CUT = re.compile(
    r"^(\s*-{2,}.*(Forwarded by|Original Message|Original Text)"
    r"|\s*>"
    r"|\s*(From|To|Sent|cc|Subject):"
    r"|.*\S+@\S+\s*$"  # Lotus Notes' "Name@ENRON" line before a quoted message
    r"|\s*\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}"
    r"|\s*_{5,}"
    r"|\s*\*{5,})",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MAX_SENTENCES = 3
MIN_WORDS, MAX_WORDS = 4, 120
#: Units kept per email: the sender's own note comes first; an email with more pieces
#: than ``DIGEST`` is a pasted news digest, not the sender's words, and is left out.
PER_EMAIL, DIGEST = 6, 25


@dataclass(frozen=True)
class Unit:
    email: str  # e.g. "3/174370" (folder/number of the .txt file)
    index: int  # 0, 1, 2 ... within the email
    text: str

    @property
    def id(self) -> str:
        return f"enron:{self.email}:{self.index}"


def _body(raw: str) -> str:
    _head, _, body = raw.replace("\r\n", "\n").partition("\n\n")
    # Quoted-printable leftovers: "=20" spaces and "=" soft line breaks.
    body = body.replace("=20", " ").replace("=09", " ")
    return re.sub(r"=\n", "", body)


def _sender_lines(body: str) -> list[str]:
    lines = []
    for line in body.split("\n"):
        if _CUT.match(line):
            break
        lines.append(line.replace("\t", " ").rstrip())
    return lines


def _paragraphs(lines: list[str]) -> list[str]:
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return [re.sub(r"\s{2,}", " ", p) for p in paragraphs]


def _pieces(paragraph: str) -> list[str]:
    sentences = _SENTENCE.split(paragraph)
    return [
        " ".join(sentences[i : i + MAX_SENTENCES]) for i in range(0, len(sentences), MAX_SENTENCES)
    ]


def _is_prose(text: str) -> bool:
    words = text.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text.replace(" ", "")):
        return False
    return not text.lower().startswith(("http", "www.", "?"))


def units_of(email: str, raw: str) -> list[Unit]:
    """The sender's units of one email (before removing repeats across emails)."""
    pieces = [
        piece
        for paragraph in _paragraphs(_sender_lines(_body(raw)))
        for piece in _pieces(paragraph)
    ]
    if len(pieces) > DIGEST:
        return []
    found: list[Unit] = []
    for piece in pieces:
        if _is_prose(piece) and len(found) < PER_EMAIL:
            found.append(Unit(email, len(found), piece))
    return found


def units(root: Path) -> list[Unit]:
    """Every unit of every email under ``root/FOLDER``, in a fixed order, repeats left out."""
    seen: set[str] = set()
    out = []
    folder = root / FOLDER
    files = sorted(folder.glob("[0-9]*/*.txt"), key=lambda p: (int(p.parent.name), int(p.stem)))
    for path in files:
        email = f"{path.parent.name}/{path.stem}"
        for unit in units_of(email, path.read_text(encoding="utf-8", errors="replace")):
            key = " ".join(unit.text.lower().split())
            if key not in seen:
                seen.add(key)
                out.append(unit)
    return out
