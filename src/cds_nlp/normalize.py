"""Text normalisation that never loses track of where a character came from.

Models and gazetteers see one canonical spelling (NFC, new-style tone
placement, `Đ` not its look-alike `Ð`, plain spaces); every normalised
character keeps the span of the original characters it stands for, so offsets
given back to users always index the text exactly as they passed it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_SPACES = frozenset("\t\u00a0\u1680\u202f\u205f\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\x0b\x0c")
_LOOKALIKES = {"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"}
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _toned(bases: str) -> str:
    return "".join(unicodedata.normalize("NFC", b + m) for b in bases for m in _TONE_MARKS)


# Old-style placement puts the tone on the second vowel of an open `oa`, `oe`, `uy`
# syllable (hoà, khoẻ, Uỷ); the modern style, and underthesea's training data, on the first.
_OLD_TONE = re.compile(
    rf"(?<![qQ\w])([^\W\d_]*?)([oO])([{_toned('aAeE')}])(?![^\W\d_])"
    rf"|(?<![qQ])([uU])([{_toned('yY')}])(?![^\W\d_])"
)


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the original span it came from."""

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the original."""
        if start >= end:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]


def _move_tone(first: str, second: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", second)
    tone = "".join(c for c in decomposed if c in _TONE_MARKS)
    rest = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", first + tone), unicodedata.normalize("NFC", rest)


def _fix_tone_placement(chars: list[str]) -> list[str]:
    text = "".join(chars)
    if len(text) != len(chars):  # a cluster composed to several characters: leave as is
        return chars
    out = list(chars)
    for match in _OLD_TONE.finditer(text):
        if match.group(2):
            i = match.start(2)
            out[i], out[i + 1] = _move_tone(match.group(2), match.group(3))
        else:
            i = match.start(4)
            out[i], out[i + 1] = _move_tone(match.group(4), match.group(5))
    return out


_SPECIAL = re.compile("[" + re.escape("".join(_DROP | _SPACES | set(_LOOKALIKES))) + r"\r]|  ")


@lru_cache(maxsize=16)
def normalize(text: str) -> NormalizedText:
    """NFC, tone placement, look-alike letters, CRLF, odd spaces and repeated spaces.

    Cached: the tokenizer and the figure/date extractors normalise the same article.
    """
    if unicodedata.is_normalized("NFC", text) and not _SPECIAL.search(text) and not _OLD_TONE.search(text):
        return NormalizedText(text, text, range(len(text)), range(1, len(text) + 1))  # already canonical
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        if ch == "\r":
            if j < n and text[j] == "\n":
                j += 1
            piece = "\n"
        elif ch in _DROP:
            i = j
            continue
        elif ch in _SPACES:
            piece = " "
        else:
            cluster = text[i:j]
            piece = unicodedata.normalize("NFC", cluster) if (j - i > 1 or not cluster.isascii()) else cluster
            piece = "".join(_LOOKALIKES.get(c, c) for c in piece)
        if piece == " " and chars and chars[-1] == " ":
            ends[-1] = j  # a run of spaces collapses into one, spanning the whole run
            i = j
            continue
        for c in piece:
            chars.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    chars = _fix_tone_placement(chars)
    return NormalizedText(text, "".join(chars), starts, ends)
