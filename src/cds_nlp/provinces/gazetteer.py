"""The 63 + 34 province-level units, found in text and linked to their canonical unit.

`find` is a reader's gazetteer, not a string search: it matches every spelling
the build script listed (by word key, so NFD, old tone placement, `Ð` and
upper-case headings need no listing), then uses the word before the name to
drop wards, provincial cities and people (see `rules.py`). Offsets index the
text exactly as given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Optional, Union

from . import rules
from ._text import DOT, LIST, NEWLINE, SPACE, Word, gaps, scan

CENTRAL_CITY = "thành phố trực thuộc trung ương"
PROVINCE = "tỉnh"

# Generic words `link` strips before looking a surface up (`tỉnh Ninh Thuận`, `TP. Cần Thơ`).
_LINK_PREFIXES: tuple[str, ...] = ("tỉnh", "thành phố", "tp", "thủ đô")


@dataclass(frozen=True)
class Province:
    """A unit as it was before the July 2025 merger, with the unit it belongs to since."""

    code: str
    name: str
    type: str
    full_name: str
    merged_into_code: str
    merged_into_name: str
    aliases: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def centrally_run(self) -> bool:
        """True for the six cities whose `thành phố X` is the province-level unit itself."""
        return self.type == CENTRAL_CITY


@dataclass(frozen=True)
class Unit2025:
    """A unit after the July 2025 merger and the pre-2025 units it was formed from."""

    code: str
    name: str
    type: str
    full_name: str
    merged_from_codes: tuple[str, ...]
    aliases: tuple[str, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class Match:
    """A PROVINCE mention: `text[start:end]` is the span the guidelines ask for."""

    start: int
    end: int
    province: Province


@dataclass(frozen=True)
class Candidate:
    """A gazetteer hit before or after the context rules; `rejected` says which rule dropped it."""

    start: int
    end: int
    province: Province
    rejected: Optional[str] = None


@dataclass
class _Node:
    edges: dict[tuple[Optional[str], str], "_Node"] = field(default_factory=dict)
    # (province code or None for a blocked phrase, which words must be capitalised)
    ends: list[tuple[Optional[str], tuple[bool, ...]]] = field(default_factory=list)


def _pattern(surface: str) -> tuple[list[Word], list[str]]:
    words = scan(surface)
    return words, gaps(surface, words)


def _keys(surface: str) -> tuple[str, ...]:
    return tuple(w.key for w in scan(surface))


class Gazetteer:
    """Lookup (`link`) and search (`find`) over the shipped province table."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.source: dict[str, Any] = data.get("source", {})
        self.built: Optional[str] = data.get("built")
        after = {u["code"]: u for u in data["units_2025_after"]}
        self._units: dict[str, Province] = {}
        for u in data["units_2025_before"]:
            into = after[u["merged_into_2025_code"]]
            self._units[u["code"]] = Province(
                code=u["code"], name=u["name"], type=u["type"], full_name=u["full_name"],
                merged_into_code=into["code"], merged_into_name=into["name"], aliases=tuple(u.get("aliases", ())),
            )
        self._units_2025: dict[str, Unit2025] = {
            u["code"]: Unit2025(
                code=u["code"], name=u["name"], type=u["type"], full_name=u["full_name"],
                merged_from_codes=tuple(u["merged_from_codes"]), aliases=tuple(u.get("aliases", ())),
            )
            for u in data["units_2025_after"]
        }
        self._root = _Node()
        self._by_keys: dict[tuple[str, ...], str] = {}
        for u in data["units_2025_before"]:
            for alias in u.get("aliases", ()):  # the list is complete: HCMC's lacks the bare name on purpose
                self._add(alias, u["code"])
            for alias in u.get("link_only_aliases", ()):
                self._by_keys.setdefault(_keys(alias), u["code"])
        by_name = {p.name: p.code for p in self._units.values()}
        for unit in self._units_2025.values():  # a 2025 unit is named after one of its former units
            for alias in unit.aliases:
                if _keys(alias) not in self._by_keys and unit.name in by_name:
                    self._add(alias, by_name[unit.name])
        for phrase in rules.BLOCKED_PHRASES:
            self._add(phrase, None)
        self._before = self._context_table()

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def load(cls) -> "Gazetteer":
        """The gazetteer over the table shipped with the package (read once per process)."""
        return _default()

    @classmethod
    def from_file(cls, path: Union[str, Path]) -> "Gazetteer":
        """A gazetteer over another build of the table (tests, experiments)."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def _add(self, alias: str, code: Optional[str]) -> None:
        words, gap_list = _pattern(alias)
        if not words:
            return
        node = self._root.edges.setdefault((None, words[0].key), _Node())
        for word, gap in zip(words[1:], gap_list):
            node = node.edges.setdefault((gap, word.key), _Node())
        mask = tuple(w.capitalised for w in words)
        if (code, mask) not in node.ends:
            node.ends.append((code, mask))
        if code is not None:
            self._by_keys.setdefault(tuple(w.key for w in words), code)

    @staticmethod
    def _context_table() -> dict[tuple[str, ...], str]:
        table: dict[tuple[str, ...], str] = {}
        for kind, phrases in (
            ("local", rules.LOCAL_BEFORE),
            ("city", rules.CITY_BEFORE),
            ("person", rules.HONORIFICS_BEFORE),
        ):
            for phrase in phrases:
                table[_keys(phrase)] = kind
        for phrase in rules.NEUTRAL_BEFORE:
            table[_keys(phrase)] = "neutral"
        return table

    # ---- listing and lookup -------------------------------------------------------------

    def units(self) -> tuple[Province, ...]:
        """The 63 units before July 2025, by code."""
        return tuple(self._units[c] for c in sorted(self._units))

    def units_2025(self) -> tuple[Unit2025, ...]:
        """The 34 units from July 2025, by code."""
        return tuple(self._units_2025[c] for c in sorted(self._units_2025))

    def get(self, code: str) -> Province:
        """The pre-2025 unit with this GSO code (`KeyError` if none)."""
        return self._units[code]

    def get_2025(self, code: str) -> Unit2025:
        """The post-2025 unit with this GSO code (`KeyError` if none)."""
        return self._units_2025[code]

    def unit_2025(self, province: Province) -> Unit2025:
        """The unit `province` belongs to since July 2025."""
        return self._units_2025[province.merged_into_code]

    def link(self, surface: str) -> Optional[Province]:
        """The unit a mention names, whatever its spelling, case or generic prefix; None if not a unit.

        Consistent with `find`: bare `Hồ Chí Minh` gives None (the guidelines take it as the
        city only with its prefix), and so does `thành phố Sơn La` (a provincial city).
        """
        keys = _keys(surface)
        if not keys:
            return None
        code = self._by_keys.get(keys)
        if code is None:
            for prefix in _LINK_PREFIXES:
                p = _keys(prefix)
                if keys[: len(p)] == p and len(keys) > len(p):
                    code = self._by_keys.get(keys[len(p) :])
                    if code is not None:
                        if prefix in rules.CITY_BEFORE and not self._units[code].centrally_run:
                            return None
                        break
        return None if code is None else self._units[code]

    # ---- search ---------------------------------------------------------------------------

    def find(self, text: str) -> list[Match]:
        """PROVINCE mentions in `text`, with offsets into `text` exactly as given."""
        return [Match(c.start, c.end, c.province) for c in self.candidates(text) if c.rejected is None]

    def candidates(self, text: str) -> list[Candidate]:
        """Every gazetteer hit with the rule that rejected it, if any (for evaluation and debugging)."""
        words = scan(text)
        gap_list = gaps(text, words)
        out: list[Candidate] = []
        i = 0
        previous_end = -1  # word index just after the previous hit (blocked phrases included)
        while i < len(words):
            hit = self._longest(words, gap_list, i)
            if hit is None:
                i += 1
                continue
            end, code = hit
            if code is not None:
                province = self._units[code]
                reason = self._rejection(words, gap_list, i, province, previous_end == i)
                out.append(Candidate(words[i].start, words[end - 1].end, province, reason))
            previous_end = end
            i = end
        return out

    def _longest(self, words: list[Word], gap_list: list[str], i: int) -> Optional[tuple[int, Optional[str]]]:
        node = self._root.edges.get((None, words[i].key))
        best: Optional[tuple[int, Optional[str]]] = None
        j = i
        while node is not None:
            for code, mask in node.ends:
                if all(words[i + t].capitalised or not needed for t, needed in enumerate(mask)):
                    best = (j + 1, code)
                    break
            if j + 1 >= len(words):
                break
            node = node.edges.get((gap_list[j], words[j + 1].key))
            j += 1
        return best

    def _phrase_before(self, words: list[Word], gap_list: list[str], i: int) -> Optional[tuple[str, int]]:
        """The longest context phrase ending right before word `i`: (kind, its first word index)."""
        if i == 0:
            return None
        last_gap = gap_list[i - 1]
        for length in (3, 2, 1):
            k = i - length
            if k < 0:
                continue
            if any(g not in (SPACE, NEWLINE) for g in gap_list[k : i - 1]):
                continue
            keys = tuple(w.key for w in words[k:i])
            kind = self._before.get(keys)
            if last_gap == DOT and length == 1:
                kind = rules.ABBREVIATIONS.get(keys[0].split("|")[0]) if keys[0].endswith("|0") else None
            elif last_gap not in (SPACE, NEWLINE):
                kind = None
            if kind == "person" and last_gap != SPACE:
                kind = None
            if kind is not None:
                return kind, k
        return None

    def _rejection(self, words: list[Word], gap_list: list[str], i: int, province: Province, follows_hit: bool) -> Optional[str]:
        """Why the hit at word `i` is not the province, or None if it is."""
        before = self._phrase_before(words, gap_list, i)
        if before is not None:
            kind, k = before
            if kind == "local":
                return "local place (ward, district, street, river ...)"
            if kind == "city" and not province.centrally_run:
                if k > 0 and gap_list[k - 1] == LIST and words[k - 1].key == _TINH:
                    return None  # `các tỉnh, thành phố Lạng Sơn, ...`: the pair means "province-level units"
                return "provincial city (thành phố X where X is a tỉnh)"
            if kind == "person":
                return "person (honorific before the name)"
            return None
        if i > 0 and gap_list[i - 1] == SPACE and not follows_hit:
            prev = words[i - 1]
            if prev.capitalised and prev.key in _NAME_PART_KEYS:
                return "person (surname or middle name before the name)"
        return None


_TINH: str = _keys("tỉnh")[0]
_NAME_PART_KEYS: frozenset[str] = frozenset(k for p in rules.NAME_PARTS_BEFORE for k in _keys(p))


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    ref = resources.files(__package__).joinpath("provinces.json")
    return Gazetteer(json.loads(ref.read_text(encoding="utf-8")))


def load() -> Gazetteer:
    """Shortcut for `Gazetteer.load()`."""
    return _default()


def link(surface: str) -> Optional[Province]:
    """Shortcut for `Gazetteer.load().link(surface)`."""
    return _default().link(surface)


def find(text: str) -> list[Match]:
    """Shortcut for `Gazetteer.load().find(text)`."""
    return _default().find(text)
