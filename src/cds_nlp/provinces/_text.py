"""Word scanning and spelling-blind word keys, with offsets into the text as given.

The gazetteer never rewrites the text it searches. It cuts the original string
into words (recording where each one starts and ends) and compares *keys*: a
key is the same for every way real text spells a syllable (NFC or NFD, old or
new tone placement, `Đ` or its look-alike `Ð`, any letter case). Offsets
therefore cannot drift, whatever the input looks like.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Format characters that sit inside or between words in scraped pages: no width, no meaning.
IGNORABLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_DELETE_IGNORABLE = {ord(c): None for c in IGNORABLE}

# The five Vietnamese tone marks, as combining characters (NFD). The key moves the
# tone to the end of the syllable, so `hoà` and `hòa` get the same key.
_TONES = {"\u0300": "1", "\u0301": "2", "\u0303": "3", "\u0309": "4", "\u0323": "5"}

# Letters from other scripts that stand in for `đ` in real text (lower-cased form).
_LOOKALIKE_D = {"\u00f0": "\u0111", "\u0256": "\u0111"}  # ð (from Ð U+00D0), ɖ (from Ɖ U+0189)

DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")

# Gap classes between two neighbouring words.
SPACE = "space"  # spaces only (any Unicode space, NBSP included), on one line
NEWLINE = "newline"  # whitespace including a line break
DASH = "dash"  # one dash with optional spaces: `Bà Rịa - Vũng Tàu`, `Bà Rịa–Vũng Tàu`
DOT = "dot"  # a dot right after the word, optional spaces: `TP.HCM`, `TP. Cần Thơ`
LIST = "list"  # a comma, semicolon or slash: `tỉnh, thành phố`, `tỉnh/thành phố`
OTHER = "other"  # anything else: punctuation, brackets, ...


class Word(NamedTuple):
    """A maximal run of letters, digits and combining marks in the original text (a tuple: cheap)."""

    start: int
    end: int
    key: str
    capitalised: bool


# A word: letters and digits, with combining diacritical marks (NFD input) and format characters.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = re.compile(rf"(?:[^\W_]|[{_MARKS}{''.join(sorted(IGNORABLE))}])+")


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """Lower-case base letters plus the tone as a suffix: equal for all spellings of a syllable."""
    decomposed = unicodedata.normalize("NFD", word.translate(_DELETE_IGNORABLE)).lower()
    tone = "0"
    base: list[str] = []
    for ch in decomposed:
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            base.append(_LOOKALIKE_D.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(base)) + "|" + tone


@lru_cache(maxsize=65536)
def _capitalised(word: str) -> bool:
    for ch in word:
        if ch.isalpha():
            return ch.isupper()
    return False


def scan(text: str) -> list[Word]:
    """Cut `text` into words; format characters at a word's edges stay outside its span."""
    words: list[Word] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        while start < end and text[start] in IGNORABLE:
            start += 1
        while end > start and text[end - 1] in IGNORABLE:
            end -= 1
        if end > start:
            surface = text[start:end]
            words.append(Word(start, end, word_key(surface), _capitalised(surface)))
    return words


def gap_class(gap: str) -> str:
    """Classify what separates two words, so `TP.HCM` and `TP. HCM`, or `-` and `–`, look alike."""
    if gap == " ":
        return SPACE
    gap = gap.translate(_DELETE_IGNORABLE).replace("_", " ")  # `Hà_Nội`: word-segmented input
    if not gap:
        return OTHER
    if gap.isspace():
        return NEWLINE if any(c in "\n\r\u2028\u2029\x0b\x0c\x85" for c in gap) else SPACE
    if any(c in "\n\r\u2028\u2029" for c in gap):
        return OTHER
    core = gap.strip()
    if len(core) == 1 and core in DASHES:
        return DASH
    if core == "." and gap[0] == ".":
        return DOT
    if core in (",", ";", "/"):
        return LIST
    return OTHER


def gaps(text: str, words: list[Word]) -> list[str]:
    """`gaps[k]` is the class of what lies between `words[k]` and `words[k + 1]`."""
    return [gap_class(text[a.end : b.start]) for a, b in zip(words, words[1:])]
