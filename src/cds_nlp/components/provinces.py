"""`cds_provinces`: gazetteer provinces in a span group, and canonical links for every PROVINCE.

`doc.ents` is flat, so a PROVINCE nested in an ORG (`UBND tỉnh Bình Phước`)
cannot live there; the gazetteer's matches go to ``doc.spans["provinces"]``
and `convert.py` merges both. PROVINCE entities the statistical NER found are
linked here too, and any the gazetteer cannot link are dropped: the
guidelines define PROVINCE as one of the 63 + 34 units.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..convert import Span as _SpanWithExtensions  # noqa: F401  (ensures the Span._.province extension)

if TYPE_CHECKING:
    from ..provinces import Province

SPANS_KEY = "provinces"


def _link(province: "Province") -> dict[str, str]:
    data = asdict(province)
    return {k: data[k] for k in ("code", "name", "type", "full_name", "merged_into_code", "merged_into_name")}


@Language.factory("cds_provinces", default_config={"spans_key": SPANS_KEY, "drop_unlinked": True})
def make_province_ruler(nlp: Language, name: str, spans_key: str, drop_unlinked: bool) -> "ProvinceRuler":
    return ProvinceRuler(name, spans_key=spans_key, drop_unlinked=drop_unlinked)


class ProvinceRuler:
    """Stateless apart from the shipped gazetteer, so nothing to serialise."""

    def __init__(self, name: str = "cds_provinces", *, spans_key: str = SPANS_KEY, drop_unlinked: bool = True) -> None:
        self.name = name
        self.spans_key = spans_key
        self.drop_unlinked = drop_unlinked
        from ..provinces import Gazetteer  # the shipped table is read once, on first use

        self.gazetteer = Gazetteer.load()

    def __call__(self, doc: Doc) -> Doc:
        people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        spans: list[Span] = []
        for match in self.gazetteer.find(doc.text):
            if any(s <= match.start and match.end <= e for s, e in people):
                continue  # `Khánh Hòa` the reporter, `Nguyễn Hà Nam`: the model saw a person
            span = doc.char_span(match.start, match.end, label="PROVINCE", alignment_mode="strict")
            if span is None:
                span = doc.char_span(match.start, match.end, label="PROVINCE", alignment_mode="contract")
            if span is None or span.start_char != match.start or span.end_char != match.end:
                continue
            span._.province = _link(match.province)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        self._link_entities(doc)
        return doc

    def _link_entities(self, doc: Doc) -> None:
        kept = []
        for ent in doc.ents:
            if ent.label_ == "PROVINCE":
                province = self.gazetteer.link(ent.text)
                if province is None and self.drop_unlinked:
                    continue
                if province is not None:
                    ent._.province = _link(province)
            kept.append(ent)
        if len(kept) != len(doc.ents):
            doc.ents = kept

    def to_disk(self, path, *, exclude=tuple()) -> None:  # noqa: ANN001 - spaCy's signature
        pass

    def from_disk(self, path, *, exclude=tuple()) -> "ProvinceRuler":  # noqa: ANN001
        return self
