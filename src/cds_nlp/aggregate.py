"""Document-level summaries an analyst counts: provinces by canonical unit."""

from __future__ import annotations

from .document import Document, ProvinceMentions


def province_mentions(document: Document) -> list[ProvinceMentions]:
    """One row per canonical unit, in order of first mention."""
    rows: dict[str, ProvinceMentions] = {}
    for index, entity in enumerate(document.entities):
        if entity.label != "PROVINCE" or entity.province is None:
            continue
        row = rows.get(entity.province.code)
        if row is None:
            rows[entity.province.code] = ProvinceMentions(province=entity.province, count=1, mentions=[index])
        else:
            row.count += 1
            row.mentions.append(index)
    return list(rows.values())
