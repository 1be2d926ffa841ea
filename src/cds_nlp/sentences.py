"""Sentence boundaries for Vietnamese news as it is actually published.

Rules rather than a model: boundaries in these reports are signalled by
line breaks and by end punctuation before a capital, and the exceptions
(abbreviations such as `TP.`/`PGS.TS.`, enumerators such as `1.2.`, numbers
such as `1.928.311`) are a closed list. Works on normalised text.
"""

from __future__ import annotations

import re

# Abbreviations that end with a dot but do not end a sentence (compared lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    {
        "tp", "tp.hcm", "tx", "tt", "ts", "pgs", "gs", "ths", "th.s", "bs", "bsck", "ks", "ls", "ncs", "cn",
        "pgs.ts", "gs.ts", "gs.tskh", "ts.bs", "ths.bs", "đ/c", "mr", "mrs", "ms", "dr", "no", "st", "tr", "q", "p",
        "ông", "bà", "anh", "chị", "kts", "nsnd", "nsưt", "thbt", "tkv", "vs",
    }
)
MAX_SENTENCE_CHARS = 2000

_BOUNDARY = re.compile(
    r"(?P<end>[.!?…]+(?:/\.)?[\"”’»)\]]*)"
    r"(?P<space>[ ]+)"
    r"(?=[\"“‘«(\[•\-–—+*]?\s*[0-9A-ZÀ-ỸĐ\u00C0-\u1EF8])"
)
_ENUMERATOR = re.compile(r"^\(?(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?$", re.IGNORECASE)
_INITIAL = re.compile(r"^(?:[A-ZĐ]\.)+[A-ZĐ]?$")


def _protected(before: str) -> bool:
    """True when the dot ending `before` belongs to an abbreviation, initial or enumerator."""
    stripped = before.strip()
    if not stripped:
        return True
    word = stripped.split()[-1]
    bare = word.rstrip(".!?…").lstrip("\"“‘«([").lower()
    if bare in ABBREVIATIONS or _INITIAL.match(word):
        return True
    return bool(_ENUMERATOR.match(stripped))


def _split_line(line: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        if _protected(line[start : match.end("end")]):
            continue
        if match.group("end").startswith(("...", "…")) and line[match.end("space") : match.end("space") + 1].isdigit():
            continue  # `suốt … 15 năm`: an ellipsis before a number is a pause, not an end
        spans.append((offset + start, offset + match.end("end")))
        start = match.end("space")
    spans.append((offset + start, offset + len(line)))
    return spans


def _cap_length(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Cut a run-on 'sentence' (a table, a wall of text) at spaces so no model sees megabytes at once."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences in `text`, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        for start, end in _split_line(line.group(), line.start()):
            start, end = _trim(start, end, text)
            if end > start:
                spans.extend(_cap_length(start, end, text))
    # pieces of a run-on sentence are cut at spaces: trim them too
    return [(s, e) for s, e in (_trim(s, e, text) for s, e in spans) if e > s]


def _trim(start: int, end: int, text: str) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
