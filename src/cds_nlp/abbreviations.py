"""Abbreviations of the CĐS domain and canonical long forms of organisation names.

The same body is written `UBND tỉnh Ninh Thuận`, `Ủy ban nhân dân tỉnh Ninh
Thuận`, `Uỷ ban nhân dân tỉnh Ninh Thuận` and `UỶ BAN NHÂN DÂN TỈNH NINH
THUẬN`; counting ORG mentions needs them merged. `expand` writes one canonical
long form (abbreviations expanded, modern tone placement, official casing) and
`canonical_key` folds what is left (case, `&`, dots, spacing) for grouping.
The glossary is data (`data/abbreviations.json`), each entry with its source.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .normalize import normalize

AbbreviationKind = Literal["org", "title", "term", "place", "document", "name"]
_EXPANDED_KINDS = frozenset({"org", "title", "term", "place"})


class Abbreviation(BaseModel):
    """One glossary entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    abbr: str
    long: str = Field(description="The long form it is expanded to.")
    kind: AbbreviationKind
    source: str = Field(description="Where the abbreviation or its expansion is attested.")
    variants: tuple[str, ...] = Field(default=(), description="Other spellings of the same abbreviation.")
    case_sensitive: bool = Field(default=False, description="Match only as written (`AI` vs the word `ai`).")


class _Glossary:
    """The shipped glossary with the regexes built from it, loaded once."""

    def __init__(self, data: dict) -> None:
        self.entries: tuple[Abbreviation, ...] = tuple(Abbreviation(**row) for row in data["abbreviations"])
        self.canonical_names: tuple[str, ...] = tuple(
            sorted((normalize(n).text for n in data["canonical_names"]), key=len, reverse=True))
        self.lowercase_words = frozenset(normalize(w).text for w in data["lowercase_words"])
        self.by_form: dict[str, Abbreviation] = {}
        self.by_folded_form: dict[str, Abbreviation] = {}
        sensitive: list[str] = []
        insensitive: list[str] = []
        for entry in self.entries:
            for form in (entry.abbr, *entry.variants):
                form = normalize(form).text
                self.by_form.setdefault(form, entry)
                if entry.kind not in _EXPANDED_KINDS:
                    continue
                if entry.case_sensitive:
                    sensitive.append(form)
                else:
                    self.by_folded_form.setdefault(form.casefold(), entry)
                    insensitive.append(form)
        alternatives = [(f, False) for f in sensitive] + [(f, True) for f in insensitive]
        alternatives.sort(key=lambda item: len(item[0]), reverse=True)
        body = "|".join(f"(?i:{re.escape(f)})" if folded else re.escape(f) for f, folded in alternatives)
        self.pattern = re.compile(rf"(?<![\w&])(?:{body})(?![\w&])")
        # `Tỉnh ủy` must not swallow the start of `tỉnh Ủy ban nhân dân`
        self.names = re.compile(
            r"(?<![\w])(?:" + "|".join(re.escape(n) + (r"(?!\s+ban(?!\w))" if n.endswith("ủy") else "")
                                       for n in self.canonical_names) + r")(?![\w])", re.I)
        self.canonical_by_folded = {n.casefold(): n for n in self.canonical_names}

    def lookup(self, form: str) -> Optional[Abbreviation]:
        return self.by_form.get(form) or self.by_folded_form.get(form.casefold())


@lru_cache(maxsize=1)
def _glossary() -> _Glossary:
    raw = resources.files("cds_nlp").joinpath("data", "abbreviations.json").read_text(encoding="utf-8")
    return _Glossary(json.loads(raw))


def glossary() -> tuple[Abbreviation, ...]:
    """Every entry of the shipped glossary."""
    return _glossary().entries


def long_form(abbreviation: str) -> str | None:
    """The long form of one abbreviation (`TT&TT` -> `Thông tin và Truyền thông`), or None if unknown."""
    entry = _glossary().lookup(normalize(abbreviation.strip()).text)
    return entry.long if entry else None


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def expand(text: str) -> str:
    """The canonical long form of an ORG name: `UBND tỉnh Ninh Thuận` -> `Ủy ban nhân dân tỉnh Ninh Thuận`."""
    glossary_ = _glossary()
    value = re.sub(r"\s+", " ", normalize(text).text).strip()
    shouting = _mostly_upper(glossary_.pattern.sub("", value))
    value = glossary_.pattern.sub(lambda m: "\x00" + _expansion(glossary_, m.group(0)) + "\x01", value)
    if shouting:
        value = value.lower()
    value = glossary_.names.sub(lambda m: "\x00" + glossary_.canonical_by_folded[m.group(0).casefold()] + "\x01", value)
    if shouting:
        value = _title_outside_markers(value, glossary_.lowercase_words)
    value = value.replace("\x00", "").replace("\x01", "")
    value = re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", value)).strip()
    return value


def _expansion(glossary_: _Glossary, form: str) -> str:
    entry = glossary_.lookup(form)
    return entry.long if entry else form


def _title_outside_markers(value: str, lowercase_words: frozenset[str]) -> str:
    """Title-case the words of an all-caps name that no glossary entry covered (`lai châu` -> `Lai Châu`)."""
    out: list[str] = []
    depth = 0
    for piece in re.split(r"(\x00|\x01|\s+)", value):
        if piece == "\x00":
            depth += 1
        elif piece == "\x01":
            depth -= 1
        elif depth == 0 and piece.strip() and piece not in lowercase_words:
            piece = piece[:1].upper() + piece[1:]
        out.append(piece)
    return "".join(out)


def canonical_key(text: str) -> str:
    """A grouping key: spelling variants of one name (`Bộ TT&TT`, `Bộ Thông tin và truyền thông`) share it."""
    value = expand(text).casefold()
    value = value.replace("&", " và ").replace(".", " ")
    value = re.sub(r"\s*[-–—]\s*", " - ", value)
    value = re.sub(r"[\"“”'‘’()]", " ", value)
    value = re.sub(r"\s+", " ", value).strip(" ,;:")
    return re.sub(r"^(?:các|những)\s+", "", value)
