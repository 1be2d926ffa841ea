"""People with the titles and bodies the text attaches to them.

Vietnamese news introduces officials in two fixed shapes: a title before the
name (`Thủ tướng Chính phủ Phạm Minh Chính`) and a comma list of titles after
it (`Trần Quốc Nam, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh`). A title is a
known head word, optionally followed by the ORG the model found next to it.
"""

from __future__ import annotations

import re

from .document import Document, Entity, Person

TITLE_HEADS: tuple[str, ...] = (
    "Tổng Bí thư", "Chủ tịch nước", "Phó Chủ tịch nước", "Thủ tướng", "Phó Thủ tướng", "Thường trực",
    "Bộ trưởng", "Thứ trưởng", "Chủ tịch", "Phó Chủ tịch", "Bí thư", "Phó Bí thư", "Tổng Giám đốc",
    "Phó Tổng Giám đốc", "Giám đốc", "Phó Giám đốc", "Trưởng ban", "Phó Trưởng ban", "Chánh Văn phòng",
    "Phó Chánh Văn phòng", "Tổ trưởng", "Tổ phó", "Chủ nhiệm", "Phó Chủ nhiệm", "Trưởng phòng",
    "Phó Trưởng phòng", "Cục trưởng", "Phó Cục trưởng", "Tổng cục trưởng", "Vụ trưởng", "Viện trưởng",
    "Hiệu trưởng", "Ủy viên", "UVTV", "UVBTV", "Trưởng Đoàn", "Phó Trưởng Đoàn", "Đại tá", "Thượng tá",
    "Thiếu tướng", "Trung tướng", "Thượng tướng", "Đại tướng", "Chánh án", "Viện trưởng", "Kiểm toán trưởng",
    "Trưởng Công an", "Người phát ngôn", "Đại biểu Quốc hội", "Trưởng Ban", "Phó Trưởng Ban", "Thành viên",
)
_HEAD = re.compile(r"(?:" + "|".join(sorted((re.escape(t) for t in TITLE_HEADS), key=len, reverse=True)) + r")(?!\w)",
                   re.IGNORECASE)
_HONORIFIC = re.compile(r"(?:đồng chí|ông|bà|anh|chị|đ/c)\s*$", re.IGNORECASE)
_CHUNK_END = re.compile(r"[;:()\[\]\n.]|\s[-–—]\s")


def _orgs_in(entities: list[Entity], start: int, end: int) -> list[Entity]:
    return [e for e in entities if e.label == "ORG" and start <= e.start and e.end <= end]


def _title_from(text: str, start: int, end: int, orgs: list[Entity]) -> str | None:
    """The title in text[start:end] if it opens with a title head: the head, plus its ORG when adjacent."""
    chunk = text[start:end]
    stripped = chunk.lstrip()
    head = _HEAD.match(stripped)
    if not head:
        return None
    begin = start + (len(chunk) - len(stripped))
    finish = begin + head.end()
    for org in sorted(orgs, key=lambda o: o.start):
        if org.start < begin or org.end <= finish:
            continue
        gap = text[finish:org.start] if org.start > finish else ""  # `Trưởng ban` + ORG `ban Điều hành…` overlap
        if len(gap) <= 40 and not re.search(r"[,;]", gap):
            finish = org.end
    title = text[begin:finish].strip()
    return re.sub(r"\s+", " ", title) if title else None


def _titles_after(text: str, person: Entity, limit: int, orgs: list[Entity]) -> list[str]:
    position = person.end
    titles: list[str] = []
    tail = text[position:limit]
    opener = re.match(r"\s*(?:,|[-–—]|\()\s*", tail)
    if not opener:
        return titles
    position += opener.end()
    while position < limit:
        stop = _CHUNK_END.search(text, position, limit)
        chunk_end = stop.start() if stop else limit
        comma = text.find(",", position, chunk_end)
        chunk_end = comma if comma != -1 else chunk_end
        title = _title_from(text, position, chunk_end, _orgs_in(orgs, position, chunk_end))
        if title is None:
            break
        titles.append(title)
        if comma == -1:
            break
        position = comma + 1
    return titles


def _titles_before(text: str, person: Entity, sentence_start: int, orgs: list[Entity]) -> list[str]:
    window_start = max(sentence_start, person.start - 120)
    before = text[window_start:person.start]
    before = before[: _HONORIFIC.search(before).start()] if _HONORIFIC.search(before) else before
    boundary = max(before.rfind(c) for c in ",;:(\n")
    segment_start = window_start + boundary + 1
    segment_end = window_start + len(before.rstrip())
    for head in _HEAD.finditer(text, segment_start, segment_end):
        title = _title_from(text, head.start(), segment_end, _orgs_in(orgs, head.start(), segment_end))
        if title and text[head.start():segment_end].strip().endswith(title.split()[-1]):
            return [title]
    return []


def _same_person(short: str, full: str) -> bool:
    """`Nam` or `Quốc Nam` refers to `Trần Quốc Nam`."""
    return full.endswith(" " + short)


def people(document: Document) -> list[Person]:
    """Aggregate PERSON mentions by name, with titles and bodies, in order of first mention."""
    text = document.text
    orgs = [e for e in document.entities if e.label == "ORG"]
    persons = [(i, e) for i, e in enumerate(document.entities) if e.label == "PERSON"]
    names = sorted({e.text for _, e in persons}, key=len, reverse=True)
    canonical = {name: next((full for full in names if _same_person(name, full)), name) for name in names}
    rows: dict[str, Person] = {}
    for index, entity in persons:
        name = canonical[entity.text]
        sentence = document.sentences[entity.sentence] if entity.sentence is not None else None
        limit = sentence.end if sentence else len(text)
        start = sentence.start if sentence else 0
        titles = _titles_before(text, entity, start, orgs) + _titles_after(text, entity, limit, orgs)
        row = rows.get(name)
        if row is None:
            row = rows[name] = Person(name=name, count=1, mentions=[index])
        else:
            row.count += 1
            row.mentions.append(index)
        for title in titles:
            if title not in row.titles:
                row.titles.append(title)
                for org in orgs:
                    if org.text in title and org.text not in row.bodies:
                        row.bodies.append(org.text)
    return list(rows.values())
