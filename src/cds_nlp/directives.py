"""Who gives an order and to whom, for sentences labelled `directive`.

Directives in these reports follow one frame: ISSUER (a person, a title or a
body) + an ordering verb + ADDRESSEES (`các bộ, ngành, địa phương`) + the
action. The frame is marked by a closed set of verbs, so rules do it well.
"""

from __future__ import annotations

import re

from .document import Directive, Document, Entity, Sentence
from .people import TITLE_HEADS

ORDER_VERBS = ("yêu cầu", "đề nghị", "chỉ đạo", "giao", "giao nhiệm vụ cho", "chỉ thị", "lưu ý", "quán triệt", "đề xuất")
_VERB = re.compile(r"(?<!\w)(?:đã\s+|cũng\s+)?(" + "|".join(sorted(map(re.escape, ORDER_VERBS), key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
_ADDRESSEE_START = re.compile(
    r"\s*(?:cho\s+)?((?:các|mọi|toàn thể|toàn|Chủ tịch|Giám đốc|Thủ trưởng|Bộ trưởng|người đứng đầu|UBND|Ủy ban|Sở|Bộ|Ban|cơ quan|đơn vị|địa phương|ngành|Công an|Tổ công tác|Văn phòng)\b.*)",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"\s(?:cần|phải|khẩn trương|tiếp tục|tập trung|đẩy mạnh|quan tâm|chủ động|thực hiện|triển khai|nghiên cứu|rà soát|"
    r"hoàn thành|tăng cường|bảo đảm|đảm bảo|phối hợp|xây dựng|sớm|nâng cao|làm tốt|quyết liệt|nghiêm túc|kịp thời|"
    r"theo dõi|chỉ đạo|tổ chức|hướng dẫn|cập nhật|rà soát|thúc đẩy|ưu tiên|bố trí|huy động)\b|[:;.]",
)
_TITLE = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, TITLE_HEADS), key=len, reverse=True)) + r")(?:\s+[^\s,;:]+){0,4}", re.IGNORECASE)


def _issuer(text: str, sentence: Sentence, verb_start: int, entities: list[Entity]) -> tuple[str, int, int] | None:
    before = [e for e in entities if sentence.start <= e.start and e.end <= verb_start and e.label in ("PERSON", "ORG")]
    people = [e for e in before if e.label == "PERSON"]
    if people:
        e = people[-1]
        return e.text, e.start, e.end
    window = text[sentence.start:verb_start]
    titles = list(_TITLE.finditer(window))
    if titles:
        m = titles[-1]
        head_end = sentence.start + m.end(1)
        org = next((e for e in before if e.start >= head_end - 1 and e.start - head_end <= 1), None)
        end = org.end if org else head_end
        start = sentence.start + m.start(1)
        return text[start:end], start, end
    if before:
        e = before[-1]
        return e.text, e.start, e.end
    return None


def _addressees(text: str, after: int, end: int) -> list[str]:
    tail = text[after:end]
    match = _ADDRESSEE_START.match(tail)
    if not match:
        return []
    phrase = match.group(1)
    stop = _ACTION.search(phrase)
    phrase = (phrase[: stop.start()] if stop else phrase).strip(" ,")
    if not phrase or len(phrase) > 120:
        return []
    return [phrase]


def directive_of(text: str, sentence: Sentence, entities: list[Entity]) -> Directive | None:
    """The issuer and addressees of one directive sentence, or None when the frame is absent."""
    verb = _VERB.search(text, sentence.start, sentence.end)
    if not verb:
        return None
    issuer = _issuer(text, sentence, verb.start(), entities)
    addressees = _addressees(text, verb.end(), sentence.end)
    if issuer is None and not addressees:
        return None
    return Directive(
        issuer=issuer[0] if issuer else None,
        issuer_start=issuer[1] if issuer else None,
        issuer_end=issuer[2] if issuer else None,
        addressees=addressees,
    )


def attach_directives(document: Document) -> None:
    for sentence in document.directives:
        sentence.directive = directive_of(document.text, sentence, document.entities)
