"""Dates in CĐS reports: when it was published, when things happened, the periods reported on, deadlines.

News writes dates short (`Chiều 10/7`, `sáng nay (08/8)`), leaving the year to
the reader, and reports on periods (`6 tháng đầu năm 2024`, `quý I/2024`,
`giai đoạn 2021-2025`) and deadlines (`trước ngày 20/7/2024`). Rules read
them; a missing year is resolved against a reference date (the publication
date by default):

* an event (`Chiều 10/7`) gets the latest year that puts it on or before the
  reference, since news reports what has happened;
* a deadline (`trước 30/6`) or an announced event (`ngày 20/7 tới`) gets the
  earliest year that puts it on or after the reference, since it lies ahead;
* a period without a year (`6 tháng đầu năm`) is in the reference's year.

A partial reference (`2024-07`) counts as its whole span: up to its last day
for events, from its first day for deadlines. Without any reference a missing
year falls back to the year the text cites most (targets such as `đến năm
2030` left out); a text with no year at all leaves it unknown (`date` None). Matching runs on the normalised text;
spans index the text exactly as given.
"""

from __future__ import annotations

import bisect
import calendar
import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date as Date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .normalize import NormalizedText, normalize

DateKind = Literal["publication", "event", "period", "deadline"]
DATE_KINDS: tuple[str, ...] = ("publication", "event", "period", "deadline")
_ISO_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class DateMention(BaseModel):
    """A date or period as written, with its ISO reading."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0, description="Character offset into the text exactly as given.")
    end: int = Field(ge=0)
    text: str = Field(description="text[start:end], exactly.")
    kind: DateKind
    date: Optional[str] = Field(
        default=None,
        description="ISO YYYY-MM-DD, or YYYY-MM / YYYY when that is all the text says; the start of a period; "
        "None when the year is missing and there is no reference date.",
    )
    end_date: Optional[str] = Field(default=None, description="Last day of a period (ISO).")

    @field_validator("date", "end_date")
    @classmethod
    def _iso(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not _ISO_PARTIAL.match(value):
            raise ValueError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "DateMention":
        if self.end < self.start or len(self.text) != self.end - self.start:
            raise ValueError("text length does not match end - start")
        return self


# ---------------------------------------------------------------- patterns

_DMY = r"(?P<d>\d{1,2})\s?[/.\-]\s?(?P<m>\d{1,2})(?:\s?[/.\-]\s?(?P<y>\d{4}))?(?![\d/])"
_DMY2 = _DMY.replace("?P<d>", "?P<d2>").replace("?P<m>", "?P<m2>").replace("?P<y>", "?P<y2>")
_TEXT_DATE_BODY = r"(?P<td>\d{1,2})\s+tháng\s+(?P<tm>\d{1,2})(?:\s+năm\s+(?P<ty>\d{4}))?"
_TEXT_DATE = rf"ngày\s+{_TEXT_DATE_BODY}"
_MONTH = r"tháng\s+(?P<mm>\d{1,2})(?:\s?[/\-]\s?(?P<my>\d{4})(?!\d)|\s+năm\s+(?P<my2>\d{4}))?"
_QUARTER = r"quý\s+(?P<q>IV|I{1,3}|[1-4])(?![^\W_])(?:\s?[/\-]\s?(?P<qy>\d{4})|\s+năm\s+(?P<qy2>\d{4}))?"
_YEAR = r"năm\s+(?P<yy>\d{4})(?!\d)"
_TARGET = rf"(?:ngày\s+)?{_DMY}|{_TEXT_DATE}|{_MONTH}|{_QUARTER}|{_YEAR}"
_NB = r"(?<![\w/.,\-])"

_CRAWLER = re.compile(r"^\s*(?P<all>date\s+(?P<iso>\d{4}(?:-\d{2}(?:-\d{2})?)?))(?![\d-])")
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|t[2-7]|cn)"
_DATELINE = re.compile(
    rf"(?:{_WEEKDAY}\s*[,\-–]?\s*(?:ngày\s+)?|(?:cập nhật|ngày đăng|đăng ngày|ngày cập nhật|đăng lúc|xuất bản)\s*:?\s*)"
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?:\s*[,\-–|]?\s*(?:lúc\s+)?\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:GMT|UTC)?\s*\+\s*7)?)?",
    re.I,
)
_DATELINE_LINE = re.compile(
    r"(?m)^\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\s*[,\-–|]?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:GMT|UTC)?\s*\+\s*7)?\s*$",
    re.I,
)

_DEADLINE_CUE = (r"(?:trước|chậm\s+nhất(?:\s+là)?(?:\s+trước)?|hạn\s+chót(?:\s+là)?|không\s+muộn\s+hơn|muộn\s+nhất(?:\s+là)?"
                 r"|hạn\s+cuối(?:\s+là)?|xong\s+trước|hoàn\s+thành\s+trước|(?:hoàn\s+thành|xong|ban\s+hành)\s+(?:trong|vào)"
                 r"|(?<!tính\s)đến\s+hết|(?<!tính\s)đến)")
_PERIOD_RANGE = re.compile(
    rf"{_NB}(?:từ\s+)?(?:ngày\s+)?{_DMY}\s*(?:đến|[-–])\s*(?:ngày\s+)?{_DMY2}", re.I)
_YEAR_RANGE = re.compile(
    r"(?<![\w/.,\-])(?:(?:giai\s+đoạn|thời\s+kỳ|nhiệm\s+kỳ|từ\s+năm|năm)\s+)?(?P<y1>\d{4})\s*(?:[-–]|đến(?:\s+năm)?)\s*(?P<y2>\d{4})(?![\d/])",
    re.I,
)
_DEADLINE = re.compile(rf"(?<![\w])(?P<cue>{_DEADLINE_CUE})\s+(?:{_TARGET})", re.I)
_MONTHS_OF_YEAR = re.compile(
    r"(?<![\w/.,\-])(?P<n>\d{1,2}|ba|sáu|chín|mười\s+hai)\s+tháng\s+(?:(?P<side>đầu|cuối)\s+)?năm(?:\s+(?P<y>\d{4})|(?P<nay>\s+nay))?(?!\d)",
    re.I,
)
_EVENT = re.compile(
    rf"(?<![\w])(?P<cue>(?:(?:sáng|chiều|tối|trưa|đêm|hôm)(?:\s+(?:nay|qua|mai))?(?:\s+thứ\s+\S+)?\s*(?:,\s*)?(?:ngày\s+)?)|ngày\s+)"
    rf"(?:(?P<open>\()\s*)?(?:{_DMY}|{_TEXT_DATE_BODY})(?(open)\s*\))(?P<ahead>\s+(?:tới|sắp\s+tới|tiếp\s+theo))?",
    re.I,
)
_POINT_OF_YEAR = re.compile(r"(?<![\w])(?P<side>cuối|đầu)\s+năm\s+(?P<y>\d{4})(?!\d)", re.I)
_AS_OF = re.compile(rf"(?<![\w])tính\s+đến\s+(?:{_TARGET})", re.I)
_PERIOD_MONTH = re.compile(rf"(?<![\w]){_MONTH}", re.I)
_PERIOD_QUARTER = re.compile(rf"(?<![\w]){_QUARTER}", re.I)
_PERIOD_YEAR = re.compile(rf"(?<![\w])(?:cùng\s+kỳ\s+(?:năm\s+)?(?P<ky>\d{{4}})(?!\d)|{_YEAR})", re.I)
_BARE = re.compile(rf"{_NB}{_DMY}", re.I)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_WORD_NUMBERS = {"ba": 3, "sáu": 6, "chín": 9, "mười hai": 12}


# ---------------------------------------------------------------- reference dates


@dataclass(frozen=True)
class _Reference:
    first: Date
    last: Date

    @classmethod
    def parse(cls, value: Optional[str]) -> Optional["_Reference"]:
        if not value:
            return None
        match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
        if not match:
            return None
        try:
            year = int(match.group(1))
            if match.group(3):
                day = Date(year, int(match.group(2)), int(match.group(3)))
                return cls(day, day)
            if match.group(2):
                month = int(match.group(2))
                return cls(Date(year, month, 1), Date(year, month, calendar.monthrange(year, month)[1]))
            return cls(Date(year, 1, 1), Date(year, 12, 31))
        except ValueError:
            return None


def _day(year: int, month: int, day: int) -> Optional[Date]:
    try:
        return Date(year, month, day)
    except ValueError:
        return None


def _last_day(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def _resolve_year(month: int, day: int, reference: Optional[_Reference], ahead: bool) -> Optional[int]:
    """The year for a day-month without one: see the module docstring for the rule."""
    if reference is None:
        return None
    years = range(reference.first.year - 1, reference.last.year + 2)
    if ahead:
        for year in years:
            candidate = _day(year, month, day)
            if candidate and candidate >= reference.first:
                return year
    else:
        for year in reversed(years):
            candidate = _day(year, month, day)
            if candidate and candidate <= reference.last:
                return year
    return None


# ---------------------------------------------------------------- publication


@lru_cache(maxsize=16)
def _publication(normalized: str) -> Optional[tuple[str, int, int]]:
    crawler = _CRAWLER.match(normalized)
    if crawler:
        return crawler.group("iso"), crawler.start("all"), crawler.end("all")
    head = normalized[:1000]
    for pattern in (_DATELINE, _DATELINE_LINE):
        match = pattern.search(head)
        if match:
            found = _day(int(match.group("y")), int(match.group("m")), int(match.group("d")))
            if found:
                start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
                end = match.start() + len(match.group(0).rstrip())
                return found.isoformat(), start, end
    return None


def publication_date(text: str) -> str | None:
    """The publication date from the crawler prefix (` date 2024-07 `) or a dateline (`Thứ tư - 12/07/2023 16:49`)."""
    found = _publication(normalize(text[:2000]).text)
    return found[0] if found else None


# ---------------------------------------------------------------- extraction


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    date: Optional[str]
    end_date: Optional[str] = None


def _iso_day(d: str, m: str, y: Optional[str], reference: Optional[_Reference], ahead: bool) -> Optional[str] | bool:
    """ISO date for day/month(/year); False when it is not a valid date at all."""
    day, month = int(d), int(m)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    year = int(y) if y else _resolve_year(month, day, reference, ahead)
    if year is None:
        return None
    found = _day(year, month, day)
    return found.isoformat() if found else False


def _target(match: re.Match[str], reference: Optional[_Reference], ahead: bool) -> Optional[str] | bool:
    """The ISO reading of whichever of _TARGET's alternatives matched."""
    groups = match.groupdict()
    if groups.get("d"):
        return _iso_day(groups["d"], groups["m"], groups.get("y"), reference, ahead)
    if groups.get("td"):
        return _iso_day(groups["td"], groups["tm"], groups.get("ty"), reference, ahead)
    if groups.get("mm"):
        month = int(groups["mm"])
        if not 1 <= month <= 12:
            return False
        year = groups.get("my") or groups.get("my2")
        if year is None:  # a month is ahead if any of its days is: compare its last day
            resolved = _resolve_year(month, 1, reference, False) if reference else None
            if ahead and resolved is not None and reference and _last_day(resolved, month) < reference.first:
                resolved += 1
            return f"{resolved:04d}-{month:02d}" if resolved is not None else None
        return f"{int(year):04d}-{month:02d}"
    if groups.get("q"):
        quarter = _ROMAN[groups["q"].upper()]
        year = groups.get("qy") or groups.get("qy2") or (str(reference.first.year) if reference else None)
        return f"{int(year):04d}-{quarter * 3:02d}" if year else None
    if groups.get("yy"):
        return groups["yy"]
    return False


def _scan(s: str, lo: int, hi: int, reference: Optional[_Reference]) -> list[_Found]:
    found: list[_Found] = []

    def free(a: int, b: int) -> bool:
        return lo <= a and b <= hi and all(b <= f.start or f.end <= a for f in found)

    def add(a: int, b: int, kind: str, iso: Optional[str], end_iso: Optional[str] = None) -> None:
        if free(a, b):
            found.append(_Found(a, b, kind, iso, end_iso))

    for match in _PERIOD_RANGE.finditer(s, lo, hi):
        first = _iso_day(match.group("d"), match.group("m"), match.group("y") or match.group("y2"), reference, False)
        last = _iso_day(match.group("d2"), match.group("m2"), match.group("y2"), reference, False)
        if first is not False and last is not False and (first is None or last is None or first <= last):
            add(match.start(), match.end(), "period", first or None, last or None)
    for match in _YEAR_RANGE.finditer(s, lo, hi):
        y1, y2 = int(match.group("y1")), int(match.group("y2"))
        if 1900 <= y1 < y2 <= 2100:
            add(match.start(), match.end(), "period", f"{y1:04d}-01-01", f"{y2:04d}-12-31")
    for match in _DEADLINE.finditer(s, lo, hi):
        iso = _target(match, reference, True)
        if iso is not False:
            add(match.start(), match.end(), "deadline", iso)
    for match in _MONTHS_OF_YEAR.finditer(s, lo, hi):
        raw = match.group("n").lower()
        months = _WORD_NUMBERS.get(re.sub(r"\s+", " ", raw)) or int(raw)
        year_text = match.group("y")
        if not 1 <= months <= 12 or (not match.group("side") and not year_text):
            continue
        year = int(year_text) if year_text else (reference.last.year if reference else None)
        if year is None:
            add(match.start(), match.end(), "period", None)
            continue
        if (match.group("side") or "đầu").lower() == "cuối":
            first, last = Date(year, 13 - months, 1), Date(year, 12, 31)
        else:
            first, last = Date(year, 1, 1), _last_day(year, months)
        add(match.start(), match.end(), "period", first.isoformat(), last.isoformat())
    for match in _AS_OF.finditer(s, lo, hi):
        iso = _target(match, reference, False)
        if iso is not False:
            add(match.start(), match.end(), "event", iso)
    for match in _EVENT.finditer(s, lo, hi):
        ahead = bool(match.group("ahead"))
        iso = _target(match, reference, ahead)
        if iso is not False:
            end = match.start("ahead") if ahead else match.end()
            add(match.start(), end, "event", iso)
    for match in _POINT_OF_YEAR.finditer(s, lo, hi):
        year = int(match.group("y"))
        day = Date(year, 12, 31) if match.group("side").lower() == "cuối" else Date(year, 1, 1)
        add(match.start(), match.end(), "event", day.isoformat())
    for match in _PERIOD_QUARTER.finditer(s, lo, hi):
        quarter = _ROMAN[match.group("q").upper()]
        year_text = match.group("qy") or match.group("qy2")
        year = int(year_text) if year_text else (reference.last.year if reference else None)
        if year is None:
            add(match.start(), match.end(), "period", None)
        else:
            add(match.start(), match.end(), "period", Date(year, quarter * 3 - 2, 1).isoformat(),
                _last_day(year, quarter * 3).isoformat())
    for match in _PERIOD_MONTH.finditer(s, lo, hi):
        month = int(match.group("mm"))
        if not 1 <= month <= 12:
            continue
        year_text = match.group("my") or match.group("my2")
        year = int(year_text) if year_text else _resolve_year(month, 1, reference, False)
        if year is None:
            add(match.start(), match.end(), "period", None)
        else:
            add(match.start(), match.end(), "period", Date(year, month, 1).isoformat(),
                _last_day(year, month).isoformat())
    for match in _PERIOD_YEAR.finditer(s, lo, hi):
        year = int(match.group("ky") or match.group("yy"))
        if 1900 <= year <= 2100:
            add(match.start(), match.end(), "period", f"{year:04d}-01-01", f"{year:04d}-12-31")
    for match in _BARE.finditer(s, lo, hi):
        if match.group("y") is None and not _bare_short_date(s, match):
            continue
        iso = _iso_day(match.group("d"), match.group("m"), match.group("y"), reference, False)
        if iso is not False:
            add(match.start(), match.end(), "event", iso)
    found.sort(key=lambda f: f.start)
    return found


def _bare_short_date(s: str, match: re.Match[str]) -> bool:
    """A day/month with no cue word and no year is a date only in brackets: `(08/8)`.

    Elsewhere `3/5 nhiệm vụ` is a ratio, `10.5` a number and `275/KH` a document number.
    """
    return bool(re.search(r"\(\s*$", s[max(0, match.start() - 2):match.start()])
                and re.match(r"\s*\)", s[match.end():match.end() + 2]))


@lru_cache(maxsize=16)  # once per article, not once per sentence
def _dominant_year(s: str) -> Optional[str]:
    """Fallback reference when nothing else says when the text was written: its most cited year.

    Reports are about their own year (`sơ kết 6 tháng đầu năm 2024`); targets
    (`đến năm 2030`) are left out, and a tie goes to the later year.
    """
    counts: dict[int, int] = {}
    for match in re.finditer(r"(?<![\w/.,\-])(?:năm|/|-|kỳ)\s?((?:19|20)\d{2})(?!\d)", s, re.I):
        if re.search(r"(?:đến|tới|trước)\s+(?:năm\s+)?$", s[max(0, match.start() - 10):match.start() + 4]):
            continue
        year = int(match.group(1))
        counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    return str(max(counts, key=lambda y: (counts[y], y)))


def _normalized_range(normalized: NormalizedText, start: int, end: int) -> tuple[int, int]:
    starts = normalized.starts
    return bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)


def extract_dates(text: str, start: int = 0, end: int | None = None, *,
                  reference: str | None = None) -> list[DateMention]:
    """Dates in text[start:end] with offsets into the full `text`; `reference` defaults to the publication date."""
    n = len(text)
    end = n if end is None else max(0, min(end, n))
    start = max(0, min(start, end))
    normalized = normalize(text)
    s = normalized.text
    lo, hi = _normalized_range(normalized, start, end)
    publication = _publication(s)
    reference = reference or (publication[0] if publication else None) or _dominant_year(s)
    ref = _Reference.parse(reference)
    found = []
    if publication and lo <= publication[1] and publication[2] <= hi:
        found.append(_Found(publication[1], publication[2], "publication", publication[0]))
        s = s[:publication[1]] + " " * (publication[2] - publication[1]) + s[publication[2]:]
    found.extend(_scan(s, lo, hi, ref))
    found.sort(key=lambda f: f.start)
    mentions = []
    for item in found:
        a, b = normalized.span_to_original(item.start, item.end)
        a, b = max(a, start), min(b, end)
        mentions.append(DateMention(start=a, end=b, text=text[a:b], kind=item.kind, date=item.date,
                                    end_date=item.end_date))
    return mentions
