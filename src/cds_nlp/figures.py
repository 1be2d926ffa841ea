"""Figures in CĐS reports: percentages, ratios, counts, money and ranks.

Reports state results in a handful of fixed shapes (`tỷ lệ … cả nước đạt 42%`,
`hoàn thành 43/229 nhiệm vụ`, `86,3 triệu công dân`, `ước đạt 1.928.311 tỷ
đồng, tăng 26% so với cùng kỳ`, `đứng thứ 8 toàn cầu`), so closed rules do well
here and stay explainable. Matching runs on the normalised text (NFC, modern
tone placement, plain spaces) and every span is mapped back, so offsets always
index the text exactly as the caller gave it.

Numbers are read the Vietnamese way (`1.928.311` = 1928311, `22,4` = 22.4).
`count` covers every other quantity, including plain measured values such as
an index score (`với giá trị 0,6321`). Unit, indicator and scope strings come
from the normalised text, so they are NFC with modern tone placement even when
the input is not; the counted noun is found with a domain list first, then
underthesea's own word list (Viet74K) for multi-syllable words.

Dates (`10/7`, `20/7/2024`), years, times, document numbers (`275/KH-UBND`,
`57-NQ/TW`, `Đề án 06`), ordinals (`phiên họp thứ 3`), durations (`6 tháng`)
and list numbers are not figures.
"""

from __future__ import annotations

import bisect
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .normalize import NormalizedText, normalize

FigureKind = Literal["percent", "ratio", "count", "money", "rank"]
FIGURE_KINDS: tuple[str, ...] = ("percent", "ratio", "count", "money", "rank")


class Change(BaseModel):
    """A stated change of a figure (`tăng 2,6% so với cuối năm 2023`)."""

    model_config = ConfigDict(extra="forbid")

    direction: Literal["increase", "decrease"]
    value: Optional[float] = Field(default=None, description="Size of the change; None for `tăng so với năm 2020`.")
    unit: Optional[str] = Field(default=None, description="`%`, `địa phương`, `bậc` … (for `%`, percentage points).")
    reference: Optional[str] = Field(default=None, description="What it is compared with: `cuối năm 2023`.")
    start: int = Field(ge=0, description="Start of the change phrase in the original text.")
    end: int = Field(ge=0)
    text: str = Field(description="The change phrase exactly as written.")


class Figure(BaseModel):
    """One stated quantity, with what it measures, where, and how it moved."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0, description="Character offset into the text exactly as given.")
    end: int = Field(ge=0)
    text: str = Field(description="text[start:end], exactly.")
    value: float = Field(description="Scale words applied: `3,8 triệu` is 3800000; a ratio is numerator/denominator.")
    kind: FigureKind
    unit: Optional[str] = Field(default=None, description="`%`, `đồng`, or the counted noun (`hộ gia đình`).")
    numerator: Optional[float] = Field(default=None, description="For a ratio `19/79` (or a rank `2/63`): 19.")
    denominator: Optional[float] = Field(default=None, description="For a ratio `19/79` (or a rank `2/63`): 79.")
    indicator: Optional[str] = Field(default=None, description="What is measured: `tỷ lệ hồ sơ trực tuyến toàn trình`.")
    scope: Optional[str] = Field(default=None, description="`cả nước`, `bộ, ngành`, `địa phương`, a province …")
    change: Optional[Change] = None

    @model_validator(mode="after")
    def _consistent(self) -> "Figure":
        if self.end < self.start or len(self.text) != self.end - self.start:
            raise ValueError("text length does not match end - start")
        return self


# ---------------------------------------------------------------- vocabulary

# Counted nouns that underthesea's word list lacks or splits; matched first, longest first.
UNIT_NOUNS: tuple[str, ...] = (
    "hộ gia đình", "hộ dân", "hộ kinh doanh", "thuê bao", "thuê bao di động", "thuê bao băng rộng",
    "hồ sơ", "nhiệm vụ", "địa phương", "tỉnh, thành phố", "tỉnh, thành", "tỉnh thành",
    "bộ, ngành", "bộ ngành", "sở, ngành", "sở, ban, ngành", "xã, phường, thị trấn", "xã, phường", "huyện, thị xã, thành phố", "huyện, thành phố",
    "cơ quan", "cơ quan nhà nước", "đơn vị", "doanh nghiệp", "doanh nghiệp số", "công dân", "người dân",
    "tài khoản", "tài khoản định danh điện tử", "tài khoản định danh", "tài khoản thanh toán",
    "dịch vụ công", "dịch vụ công trực tuyến", "dịch vụ",
    "thủ tục hành chính", "thủ tục", "nền tảng số", "nền tảng", "cơ sở dữ liệu", "hệ thống thông tin",
    "hệ thống", "máy tính", "thành viên", "tổ công nghệ số cộng đồng", "tổ công nghệ số", "lượt truy cập",
    "lượt tải", "lượt", "câu chuyện", "bài toán", "chỉ tiêu", "văn bản", "kế hoạch", "trạm BTS", "trạm phát sóng",
    "cán bộ", "công chức", "viên chức", "cán bộ, công chức", "học sinh", "sinh viên", "sản phẩm", "giao dịch",
    "dự án", "mô hình", "camera", "thẻ căn cước", "căn cước công dân", "CCCD", "nhân khẩu", "thửa đất",
    "cuộc gọi", "đảng viên", "trường hợp", "tin nhắn", "người dùng", "ứng dụng", "trường học", "bệnh viện",
    "cơ sở y tế", "điểm cầu", "điểm phần trăm", "đại biểu", "phản ánh", "kiến nghị", "ủy ban nhân dân", "km", "điểm", "bậc",
    "người", "hộ", "xã", "phường", "huyện", "thôn", "bản ghi", "tổ", "trạm", "lớp", "sở", "bộ", "ngành", "tỉnh",
    "chương trình", "giải pháp", "trụ cột", "tiêu chí", "chữ ký số", "chứng thư số", "website", "cổng", "máy chủ",
    "TB", "GB", "MB", "Mbps", "Gbps", "ha",
)
_TIME_UNITS = frozenset({"năm", "tháng", "ngày", "giờ", "phút", "giây", "tuần", "quý", "tuổi", "lần", "kỳ", "buổi", "đêm"})
# Words that end a noun phrase after a number: function words, auxiliaries, comparison and linking verbs.
_STOP = frozenset(
    "và hoặc so trong của tại để với trước sau lúc vào ngày cho từ theo nhưng mà thì khi là đạt chiếm tăng giảm nâng trên dưới thuộc ở về "
    "gồm nhằm như nên vì do bởi tới đến sang qua còn cũng đều đã được đang sẽ bị có không chưa này đó kia "
    "ước các những mỗi mọi hằng hàng xuống lên".split()
)
_AUX = frozenset("đã được đang sẽ đều cũng vẫn bị".split())
_SCALES = {"nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "nghìn tỉ": 1e12, "ngàn tỉ": 1e12, "triệu tỷ": 1e15,
           "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_CURRENCIES = {"đồng": "đồng", "vnđ": "đồng", "vnd": "đồng", "đ": "đồng", "usd": "USD", "đô la mỹ": "USD",
               "đô la": "USD", "đô-la": "USD", "eur": "EUR", "euro": "EUR"}
_DOC_WORDS = (
    "đề án", "nghị quyết", "quyết định", "kế hoạch", "chỉ thị", "nghị định", "thông tư", "luật", "công văn",
    "văn bản", "công điện", "chương trình", "thông báo", "hướng dẫn", "tờ trình", "báo cáo", "điều", "khoản",
    "phụ lục", "đại hội", "khóa", "tầng", "phòng", "quốc lộ", "tỉnh lộ", "phiên", "lần", "thứ", "số hiệu", "hotline", "tổng đài",
    "điện thoại", "fax", "đường dây nóng",
)
# Short words that head a numbered part only when capitalised (`Mục 2`, `Tầng 7`), not in `danh mục 37 …`.
_DOC_WORDS_CAPITALISED = ("Mục", "Chương", "Phần", "Tầng", "Phòng", "Mẫu", "Biểu", "Bước", "Nhà")
_HEADS = ("tỷ lệ", "tỉ lệ", "tỷ trọng", "tỉ trọng", "số lượng", "tổng số", "doanh thu", "chỉ số", "tốc độ",
          "giá trị", "tổng mức", "mức độ", "tổng giá trị", "tổng kinh phí", "kinh phí", "nguồn vốn", "số")

_WORD = r"[^\W\d_]+"
_NUM = r"\d+(?:[.,]\d+)*"
_CANDIDATE = re.compile(rf"(?<![\w.,:/\-&+])({_NUM})(?:/({_NUM}))?(?:/({_NUM}))?")
_OVER = re.compile(r"(?<![\w.,:/\-&+])(\d{1,4})\s+trên\s+(?:tổng\s+số\s+)?(\d{1,4})(?![\w.,/])")  # `12 trên 15 nhiệm vụ`
_SCALE_RE = re.compile(r"\s?(" + "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True)) + r")(?![^\W\d_])", re.I)
_CURRENCY_RE = re.compile(r"\s?(" + "|".join(sorted(map(re.escape, _CURRENCIES), key=len, reverse=True)) + r")(?![^\W\d_])", re.I)
_PERCENT_RE = re.compile(r"\s?(%|phần trăm(?![^\W\d_]))", re.I)
_UNIT_RE = re.compile(r" (" + "|".join(sorted(map(re.escape, UNIT_NOUNS), key=len, reverse=True)) + r")(?![^\W\d_])", re.I)
_DOC_BEFORE = re.compile(r"(?<![^\W\d_])(?:" + "|".join(sorted(map(re.escape, _DOC_WORDS), key=len, reverse=True))
                         + r")(?:\s+số)?[\s:.]*$|(?<![^\W\d_])(?-i:" + "|".join(_DOC_WORDS_CAPITALISED) + r")\s+$", re.I)
# `số 12 đường Lê Lợi`, `số 06`: a standalone `số` before a number names something; `tổng số 81` counts.
_IDENTIFIER_BEFORE = re.compile(r"(?<![^\W\d_])(?<!tổng )(?<!con )(?<!đa )(?<!Tổng )số\s+$", re.I)
_RANK = re.compile(
    r"(?<![^\W\d_])(?:(?:xếp\s+hạng|xếp|đứng|vị\s+trí|hạng)\s+(?:ở\s+)?(?:vị\s+trí\s+|hạng\s+)?(?:thứ\s+)?"
    r"|top\s+|tốp\s+)(\d{1,3})(?:/(\d{1,3}))?(?![\w/])",
    re.I,
)
_DATE_CUE = re.compile(r"(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|trước|sau|từ|đến|tới|hạn|hết|tháng|cuối|đầu)\s*$|\(\s*$", re.I)
_RATIO_CUE = re.compile(r"(?:đạt|hoàn thành|có|chiếm|được|còn|là)\s*$", re.I)
_QUALIFIERS = (r"(?:\s+(?:khoảng|gần|hơn|trên|dưới|tới|xấp xỉ|tối thiểu|tối đa|ít nhất|tổng cộng|thêm|"
               r"tăng trưởng|tăng|giảm|mức|con số|giá trị|bình quân|trung bình|được|là))*")
_PREDICATE = re.compile(
    r"(?:^|\s)(ước\s+đạt|ước\s+tính\s+đạt|ước\s+tính\s+là|ước\s+tính|ước|đạt\s+được|đạt|là|chiếm|bằng|lên\s+tới|lên\s+đến"
    r"|lên|xuống|tới|với\s+giá\s+trị)(" + _QUALIFIERS + r")\s*$",
    re.I,
)
_CHANGE_CUE = re.compile(r"(?:^|[\s(,])(tăng|giảm|lùi|tụt|sụt\s+giảm|sụt)(?:\s+trưởng)?(?:\s+thêm)?(?:\s+(?:khoảng|gần|hơn|trên))?\s*$|"
                         r"(?:^|[\s(,])(thêm)(?:\s+(?:khoảng|gần|hơn|trên))?\s*$", re.I)
_REFERENCE = re.compile(r"\s*,?\s*so\s+(?:với\s+)?((?:cùng\s+kỳ|cuối|đầu|giữa|năm|tháng|quý|kỳ|lần|trước|[^\W\d_]|\d)[^,;:()\n…]*)", re.I)
_SCOPE_WORDS = (r"cả\s+nước|toàn\s+quốc|toàn\s+cầu|thế\s+giới|toàn\s+tỉnh|toàn\s+thành\s+phố|(?:các\s+)?bộ,\s*ngành"
                r"|(?:các\s+)?địa\s+phương|cấp\s+(?:tỉnh|bộ|huyện|xã)")
_SCOPE_END = re.compile(rf"(?:^|\s)({_SCOPE_WORDS})\s*$", re.I)
_SCOPE_ONLY = re.compile(rf"^\s*(?:tại\s+|ở\s+)?({_SCOPE_WORDS})\s*$", re.I)
_PROVINCE = re.compile(r"(?<![^\W\d_])(?:tỉnh|thành phố|TP\.?)\s+((?:[^\W\d_]+)(?:\s+[^\W\d_]+){0,3})")
_TIME_EXPR = re.compile(
    r"(?:(?:trong|đến hết|đến|tính đến|tính riêng|sau|của|từ đầu)\s+)?"
    r"(?:\d+\s+tháng\s+(?:đầu|cuối)(?:\s+năm)?(?:\s+\d{4})?|(?:cuối|đầu|giữa)?\s*năm\s+(?:\d{4}|nay)"
    r"|quý\s+[IV]+(?:/\d{4})?|tháng\s+\d{1,2}(?:[/-]\d{4})?|giai đoạn\s+\d{4}\s*-\s*\d{4}|hiện nay|đến nay)",
    re.I,
)
_LEAD = re.compile(r"^(?:(?:theo đó|trong đó|cụ thể|đồng thời|ngoài ra|bên cạnh đó|hiện nay|đến nay|hiện|và|còn|"
                   r"nâng|đưa|với|về|tại|ở|riêng|trong)\s+)+", re.I)
_TRAIL = re.compile(r"(?:\s+(?:đã|đều|cũng|ước|vẫn|đang|sẽ|được|tiếp tục|mới|chỉ|mới chỉ)|(?<!thực)(?<!xuất)(?<!thể)(?<!phát)\s+hiện)+\s*$",
                    re.I)
_PAIRED_COMMA = re.compile(r"(?<![^\W\d_])(?:bộ|tỉnh|sở|ban|xã|phường|huyện|thị xã|cán bộ),(?=\s*(?:ban,\s*|thị xã,\s*)?(?:ngành|thành|phường|thị trấn|thị xã|công chức)(?![^\W\d_]))", re.I)
_PHRASE_END = re.compile(
    r"[,;:.()\n…\"“”%]|\s[-–]\s|\d|\s(?:năm|tháng|quý|giai đoạn)\s+(?:\d|[IV]+(?![^\W\d_]))"
    r"|\s(?:Kế hoạch|Đề án|Nghị quyết|Quyết định|Chỉ thị|Chương trình|Nghị định|Thông tư)(?![^\W\d_])"
)
# Between a figure and a change that belongs to it: `82,2% (tăng`, `1.928.311 tỷ đồng, tăng`, `thứ 8 toàn cầu (tăng`.
_ADJACENT = re.compile(r"[\s,(]*|[\s,]*(?:[^\W\d_]+\s+){1,3}\(\s*"
                       r"|\s*(?:cả nước|toàn quốc|toàn cầu|thế giới|khu vực)[\s,(]*")
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """underthesea's Viet74K word list (1-4 syllables), to find multi-syllable nouns without a model."""
    try:  # locate the file without importing underthesea (its import is slow)
        spec = importlib.util.find_spec("underthesea")
        folder = Path(spec.submodule_search_locations[0])  # type: ignore[union-attr,index]
        lines = (folder / "corpus" / "data" / "Viet74K.txt").read_text(encoding="utf-8").splitlines()
    except Exception:  # underthesea missing or reorganised: fall back to the built-in nouns only
        return frozenset()
    words = set()
    for line in lines:
        word = line.strip()
        if word and word.count(" ") < 4 and "-" not in word:
            words.add(normalize(word).text.lower() if _maybe_old_tone(word) else word.lower())
    return frozenset(words)


def _maybe_old_tone(word: str) -> bool:
    return bool(re.search(r"[oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ]", word))


# ---------------------------------------------------------------- numbers


def parse_number(token: str) -> float | None:
    """Read `1.928.311`, `22,4`, `0,6321` (Vietnamese) or `10,097,675`, `82.5` (English); None when ambiguous junk."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", token):
        return float(token.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+(?:,\d+)?", token):
        return float(token.replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?", token):
        return float(token.replace(",", ""))
    if re.fullmatch(r"\d+\.\d{1,2}", token):
        return float(token)
    return None


# ---------------------------------------------------------------- scanning


@dataclass
class _Raw:
    """A figure found in the normalised text, before offsets are mapped back."""

    start: int
    end: int
    value: float
    kind: str
    unit: Optional[str] = None
    numerator: Optional[float] = None
    denominator: Optional[float] = None
    number_start: int = 0
    unit_start: Optional[int] = None
    indicator: Optional[str] = None
    scope: Optional[str] = None
    change: Optional[dict] = None
    absorbed: bool = False


def _mask(text: str) -> str:
    """Same length as text, with the comma of `bộ, ngành`, `tỉnh, thành` hidden so it does not split clauses."""
    return _PAIRED_COMMA.sub(lambda m: m.group(0)[:-1] + "\u201a", text)


def _unit_after(text: str, position: int) -> tuple[str, int] | None:
    """The counted noun starting after `position` (one space), as (unit, end)."""
    match = _UNIT_RE.match(text, position)
    from_dictionary = _dictionary_unit(text, position)
    if match and (from_dictionary is None or from_dictionary[1] <= match.end(1)):
        return match.group(1), match.end(1)
    return from_dictionary


def _dictionary_unit(text: str, position: int) -> tuple[str, int] | None:
    """The longest word of underthesea's list after `position`, or one lower-case syllable that is a word."""
    syllables: list[tuple[str, int]] = []  # (syllable, end relative to position), one space apart
    cursor = 0
    window = text[position:position + 80]
    while len(syllables) < 4:
        word = re.match(rf" ({_WORD})", window[cursor:])
        if word is None:
            break
        cursor += word.end()
        syllables.append((word.group(1), cursor))
    if not syllables:
        return None
    first = syllables[0][0]
    if first.lower() in _STOP or first.lower() in _TIME_UNITS:
        return None
    dictionary = _dictionary()
    lowered = [s.lower() for s, _ in syllables]
    for k in range(len(syllables), 1, -1):
        if any(s in _STOP for s in lowered[1:k]):
            continue
        if " ".join(lowered[:k]) in dictionary and first[:1].islower():
            return text[position + 1:position + syllables[k - 1][1]], position + syllables[k - 1][1]
    if first[:1].islower() and (not dictionary or first.lower() in dictionary):
        return first, position + syllables[0][1]
    if first in {"BTS", "CCCD", "SIM", "OTP"}:
        return first, position + syllables[0][1]
    return None


def _time_unit_after(text: str, position: int) -> bool:
    match = re.match(rf" ({_WORD})", text[position:position + 20])
    return bool(match and match.group(1).lower() in _TIME_UNITS)


def _skip_by_context(text: str, start: int, end: int) -> bool:
    """Document numbers, times, glued tokens, ordinals and list numbers are not figures."""
    after = text[end:end + 3]
    if re.match(r"[^\W_]|[/\-–][^\W_]|:\d|\.\d|,\d", after):
        return True
    before = text[max(0, start - 40):start]
    if _DOC_BEFORE.search(before) or _IDENTIFIER_BEFORE.search(before):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip(" (") and re.match(r"[.)]\s", after):
        return True
    return False


def _candidates(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    taken: list[tuple[int, int]] = []
    for match in _RANK.finditer(text):
        position = int(match.group(1))
        denominator = float(match.group(2)) if match.group(2) else None
        if denominator is not None and position > denominator:
            continue
        raw = _Raw(match.start(), match.end(), float(position), "rank", None,
                   float(position) if denominator else None, denominator, number_start=match.start(1))
        found.append(raw)
        taken.append((match.start(), match.end()))
    for match in _OVER.finditer(text):
        x, y = int(match.group(1)), int(match.group(2))
        unit = _unit_after(text, match.end())
        if 0 < y and x <= y and unit is not None and not _skip_by_context(text, match.start(), match.start() + len(match.group(1))):
            found.append(_Raw(match.start(), unit[1], x / y, "ratio", unit[0], float(x), float(y),
                              number_start=match.start(), unit_start=match.end()))
            taken.append((match.start(), unit[1]))
    for match in _CANDIDATE.finditer(text):
        start, end = match.start(), match.end()
        if any(s <= start < e for s, e in taken):
            continue
        if match.group(3) or _skip_by_context(text, start, end):
            continue
        raw = _ratio(text, match) if match.group(2) else _single(text, match)
        if raw is not None:
            found.append(raw)
    found.sort(key=lambda r: r.start)
    return found


def _ratio(text: str, match: re.Match[str]) -> _Raw | None:
    left, right = match.group(1), match.group(2)
    if not (left.isdigit() and right.isdigit()):
        return None
    x, y = int(left), int(right)
    before = text[max(0, match.start() - 12):match.start()]
    unit = _unit_after(text, match.end())
    if 1 <= x <= 31 and 1 <= y <= 12:
        if _DATE_CUE.search(before) or not (unit or _RATIO_CUE.search(before)):
            return None
    if 1900 <= y <= 2100 and (x <= 12 or unit is None):
        return None
    if y == 0 or x > y or (left.startswith("0") and len(left) > 1):
        return None
    end = unit[1] if unit else match.end()
    return _Raw(match.start(), end, x / y, "ratio", unit[0] if unit else None, float(x), float(y),
                number_start=match.start(), unit_start=match.end() if unit else None)


def _single(text: str, match: re.Match[str]) -> _Raw | None:
    token = match.group(1)
    value = parse_number(token)
    if value is None or (token[0] == "0" and len(token) > 1 and token[1].isdigit()):
        return None
    if token.isdigit() and len(token) > 12:
        return None
    end = match.end()
    percent = _PERCENT_RE.match(text, end)
    if percent:
        return _Raw(match.start(), percent.end(), value, "percent", "%", number_start=match.start())
    scale = _SCALE_RE.match(text, end)
    if scale:
        value *= _SCALES[scale.group(1).lower()]
        end = scale.end()
    currency = _CURRENCY_RE.match(text, end)
    if currency:
        return _Raw(match.start(), currency.end(), value, "money", _CURRENCIES[currency.group(1).lower()],
                    number_start=match.start())
    if _time_unit_after(text, end) or (value == 1 and re.match(r"\s+trong\s", text[end:end + 8])):
        return None  # durations, and `là 1 trong 3 tỉnh` (one of)
    unit = _unit_after(text, end)
    before = text[max(0, match.start() - 60):match.start()]
    year_like = token.isdigit() and 1900 <= int(token) <= 2100 and not scale
    if year_like and (not (unit and _UNIT_RE.match(text, end)) or re.search(r"(?:năm|kỳ|đến|từ)\s+$", before, re.I)):
        return None
    earlier_value = re.search(r"so\s+với\s+[^()]{1,40}\(\s*$", before) and re.match(r"\s*\)", text[end:])
    if unit is None and not scale and not _PREDICATE.search(before) and not earlier_value:
        return None  # a bare number with nothing counted and no `đạt`/`là` before it (`so với năm 2020 (0,49)` is kept)
    if unit is None:
        return _Raw(match.start(), end, value, "count", None, number_start=match.start())
    return _Raw(match.start(), unit[1], value, "count", unit[0], number_start=match.start(), unit_start=end + 1)


# ---------------------------------------------------------------- context: indicator, scope, change


def _sentence_starts(mask: str) -> list[int]:
    return [0] + [match.end() for match in _SENTENCE_END.finditer(mask)]


def _clause_start(mask: str, position: int, floor: int) -> int:
    """Start of the clause ending at `position`; commas and brackets split, bracketed asides are stepped over."""
    depth = 0
    i = position - 1
    while i >= floor:
        c = mask[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and c in ",;:\n":
            return i + 1
        i -= 1
    return floor


def _clean(phrase: str) -> str:
    phrase = re.sub(r"\([^()]*\)", " ", phrase)
    phrase = _TIME_EXPR.sub(" ", phrase)
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:-–")
    for _ in range(3):
        phrase = _LEAD.sub("", phrase)
        phrase = _TRAIL.sub("", phrase).strip(" ,;:-–")
    return phrase


def _head_start(phrase: str) -> str:
    """From the first indicator head (`tỷ lệ`, `doanh thu` …) on, when the clause opens with other words."""
    for head in _HEADS[:-1]:
        found = re.search(rf"(?<![^\W\d_]){re.escape(head)}(?![^\W\d_])", phrase, re.I)
        if found:
            return phrase[found.start():]
    return phrase


def _has_head(phrase: str) -> bool:
    return any(re.search(rf"(?<![^\W\d_]){re.escape(h)}(?![^\W\d_])", phrase, re.I) for h in _HEADS)


def _split_scope(phrase: str) -> tuple[str, Optional[str]]:
    only = _SCOPE_ONLY.match(phrase)
    if only:
        return "", re.sub(r"\s+", " ", only.group(1))
    province = re.fullmatch(r"(?:tại\s+|ở\s+)?(?:tỉnh|thành phố|TP\.?)\s+(.+)", phrase)
    if province and all(w[:1].isupper() for w in province.group(1).split()):
        return "", province.group(1)
    end = _SCOPE_END.search(phrase)
    if end and end.start(1) > 0:
        return phrase[:end.start(1)].rstrip(" ,"), re.sub(r"\s+", " ", end.group(1))
    return phrase, None


def _after_phrase(text: str, mask: str, position: int) -> Optional[str]:
    """The noun phrase after the number: the unit and its modifiers, up to a function word or punctuation."""
    stop = _PHRASE_END.search(mask[position:position + 160])
    chunk = text[position:position + (stop.start() if stop else 160)]
    if stop is None:
        chunk = chunk.rsplit(" ", 1)[0]  # the window may end inside a word
    words: list[str] = []
    for word in chunk.split():
        low = word.lower()
        if low in _STOP and low not in _AUX:
            break
        if len(words) >= 16:
            break
        words.append(word)
    while words and words[-1].lower() in _AUX:
        words.pop()
    if not words or words[0].lower() in _AUX:
        return None
    phrase = _clean(" ".join(words))
    return phrase or None


def _province_scope(text: str, start: int, end: int) -> Optional[str]:
    best = None
    for match in _PROVINCE.finditer(text, start, end):
        words = []
        for w in match.group(1).split():
            if not w[:1].isupper():
                break
            words.append(w)
        if words:
            best = " ".join(words)
    return best


def _describe(text: str, mask: str, raw: _Raw, previous: Optional[_Raw], sentence: int) -> None:
    """Fill indicator and scope from the clause around the figure; `previous` lends them to elliptical lists."""
    clause = _clause_start(mask, raw.start, sentence)
    before = text[clause:raw.start]
    predicate = _PREDICATE.search(before) or _CHANGE_CUE.search(before)
    subject_text = before[:predicate.start()] if predicate else ""
    subject_text = re.sub(r"\s(?:tăng trưởng|tăng|giảm)\s*$", "", " " + subject_text)[1:] if subject_text else ""
    after_start = raw.unit_start if raw.unit_start is not None else raw.end
    if raw.kind in ("percent", "money"):
        after_start = raw.end
    after = _after_phrase(text, mask, after_start) if raw.kind != "rank" else None

    if raw.kind == "rank":
        tail = text[raw.end:raw.end + 160]
        scope_after = re.match(r"\s*(cả nước|toàn quốc|toàn cầu|thế giới|khu vực)(?![^\W\d_])", tail, re.I)
        if scope_after:
            raw.scope = re.sub(r"\s+", " ", scope_after.group(1))
            tail = tail[scope_after.end():]
        about = re.match(r"\s*(?:về|trong|ở)\s+([^,;:.()\n]+)", tail)
        if about:
            raw.indicator = _clean(about.group(1)) or None
        subject, scope = _split_scope(_clean(before))
        raw.scope = raw.scope or scope
        if raw.indicator is None and text[raw.start:raw.start + 4].lower() in ("top ", "tốp "):
            raw.indicator = _after_phrase(text, mask, raw.end)  # `top 10 địa phương dẫn đầu`
        if raw.indicator is None and subject and len(subject.split()) <= 10:
            raw.indicator = _head_start(subject)
        if raw.indicator is None and not subject and previous is not None and previous.start >= sentence:
            raw.indicator = previous.indicator  # `đạt 60% (…), đứng thứ 8 toàn cầu`: the same indicator
        return

    subject, scope = _split_scope(_clean(subject_text)) if subject_text else ("", None)
    subject = _head_start(subject) if subject else subject
    raw.scope = scope
    use_subject = bool(subject) and (raw.kind in ("percent", "money") or raw.unit is None or _has_head(subject))
    if predicate and use_subject:
        raw.indicator = subject
    elif predicate and not subject and scope and previous is not None and previous.indicator:
        raw.indicator = previous.indicator
    elif after:
        raw.indicator = after
    elif predicate and not subject and previous is not None and previous.indicator and previous.start >= sentence:
        raw.indicator = previous.indicator
    elif not predicate and raw.kind == "percent" and re.match(r"\s*(?:trong đó|riêng|gồm|bao gồm)\s", before, re.I):
        bare = _split_scope(_clean(before))[0]  # `trong đó ngân sách tỉnh 30%`
        if bare and len(bare.split()) <= 6:
            raw.indicator = bare
    if raw.scope is None:
        tail = re.match(rf"\s*({_SCOPE_WORDS}|cả nước|toàn quốc)(?![^\W\d_])", text[raw.end:raw.end + 30], re.I)
        if tail and tail.group(1).lower() in ("cả nước", "toàn quốc", "toàn cầu", "thế giới"):
            raw.scope = tail.group(1)
    if raw.scope is None:
        lead = re.search(rf"(?:^|\s)({_SCOPE_WORDS})\s+(?:có|đã|đều)(?:\s+thêm)?[\s\w]*$", before, re.I)
        if lead and lead.group(1).lower() in ("cả nước", "toàn quốc", "toàn tỉnh", "toàn thành phố"):
            raw.scope = lead.group(1)
    if raw.scope is None:
        raw.scope = _province_scope(text, sentence, raw.start)
    coordinated = previous is not None and previous.change is not None and previous.change["start"] < raw.start
    if coordinated and raw.change is None and raw.start < previous.change["end"]:
        # `tăng 76% về số lượng và 30,6% về giá trị so với cùng kỳ 2021`: the second figure shares the change
        raw.indicator = raw.indicator or previous.indicator
        raw.change = dict(previous.change, value=raw.value, unit=raw.unit)


def _attach_changes(text: str, mask: str, raws: list[_Raw]) -> None:
    """`đạt 82,2% (tăng 2,6% so với cuối năm 2023)`: the second figure becomes the first one's change."""
    for i, raw in enumerate(raws):
        if raw.absorbed:
            continue
        head = raw.number_start
        cue = _CHANGE_CUE.search(text[max(0, head - 40):head])
        if cue is None:
            continue
        cue_start = max(0, head - 40) + cue.start(1 if cue.group(1) else 2)
        word = (cue.group(1) or cue.group(2)).lower()
        direction = "increase" if word in ("tăng", "thêm") else "decrease"
        reference, ref_end = _reference(text, mask, raw.end)
        base = next((p for p in reversed(raws[:i]) if not p.absorbed and p.end <= cue_start), None)
        gap = text[base.end:cue_start] if base else None
        change = {"direction": direction, "value": raw.value, "unit": raw.unit, "reference": reference,
                  "start": cue_start, "end": ref_end or raw.end}
        rank_move = base is not None and base.kind == "rank" and raw.unit == "bậc" and not re.search(r"[.;\n]", gap or "")
        if base is not None and base.change is None and gap is not None and (_ADJACENT.fullmatch(gap) or rank_move):
            base.change = change
            raw.absorbed = True
        elif word != "thêm" or reference:
            raw.change = change
    for raw in raws:
        if raw.absorbed or raw.change is not None:
            continue
        bare = re.match(r"[\s,(]*(tăng|giảm)\s+(?=so\b)", text[raw.end:raw.end + 20], re.I)
        if bare:
            reference, ref_end = _reference(text, mask, raw.end + bare.end(1))
            if reference:
                raw.change = {"direction": "decrease" if bare.group(1).lower() == "giảm" else "increase",
                              "value": None, "unit": None, "reference": reference,
                              "start": raw.end + bare.start(1), "end": ref_end}


def _reference(text: str, mask: str, position: int) -> tuple[Optional[str], Optional[int]]:
    match = _REFERENCE.match(text, position)
    if match is None:
        # the figure may be followed by its own noun phrase: `687.000 hộ gia đình sử dụng Internet … so với …`
        stop = re.search(r"[;:()\n.]", mask[position:position + 160])
        window_end = position + (stop.start() if stop else 160)
        inner = re.search(r"\sso\s+với\s", text[position:window_end])
        if inner is None:
            return None, None
        match = _REFERENCE.match(text, position + inner.start())
        if match is None:
            return None, None
    reference = re.split(r"\s+(?:và|nhưng|trong khi)\s+", match.group(1))[0]
    reference = reference.strip(" .…")
    words = reference.split()[:8]
    reference = " ".join(words)
    end = match.start(1) + len(match.group(1).split(reference, 1)[0]) + len(reference)
    return reference or None, end


# ---------------------------------------------------------------- public


def _segment(text: str, start: int, end: Optional[int]) -> tuple[int, int]:
    n = len(text)
    end = n if end is None else max(0, min(end, n))
    start = max(0, min(start, end))
    return start, end


def extract_figures(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """Figures in text[start:end], with offsets into the full `text` as given."""
    start, end = _segment(text, start, end)
    normalized = normalize(text[start:end])
    s = normalized.text
    mask = _mask(s)
    raws = _candidates(s)
    _attach_changes(s, mask, raws)
    kept = [r for r in raws if not r.absorbed]
    sentence_starts = _sentence_starts(mask)
    previous: Optional[_Raw] = None
    for raw in kept:
        sentence = sentence_starts[bisect.bisect_right(sentence_starts, raw.start) - 1]
        _describe(s, mask, raw, previous, sentence)
        previous = raw
    return [_to_figure(text, normalized, start, r) for r in kept]


def _original(text: str, normalized: NormalizedText, offset: int, start: int, end: int) -> tuple[int, int, str]:
    a, b = normalized.span_to_original(start, end)
    return a + offset, b + offset, text[a + offset:b + offset]


def _to_figure(text: str, normalized: NormalizedText, offset: int, raw: _Raw) -> Figure:
    a, b, surface = _original(text, normalized, offset, raw.start, raw.end)
    change = None
    if raw.change:
        c = raw.change
        ca, cb, ctext = _original(text, normalized, offset, c["start"], c["end"])
        change = Change(direction=c["direction"], value=c["value"], unit=c["unit"], reference=c["reference"],
                        start=ca, end=cb, text=ctext)
    return Figure(start=a, end=b, text=surface, value=raw.value, kind=raw.kind, unit=raw.unit,
                  numerator=raw.numerator, denominator=raw.denominator, indicator=raw.indicator,
                  scope=raw.scope, change=change)
