"""The public output types: the contract every consumer of cds_nlp reads.

Field names ``start``/``end``/``label`` are stable; offsets are character
offsets into ``Document.text`` exactly as the caller gave it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Annotated, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .dates import DateMention
from .figures import Figure

SENTENCE_LABELS: tuple[str, ...] = ("achievement", "shortcoming", "directive", "other")
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "PROVINCE")

Offset = Annotated[int, Field(ge=0, description="Character offset into Document.text.")]
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class _Span(_Model):
    start: Offset
    end: Offset
    text: str = Field(description="Document.text[start:end], exactly.")

    @model_validator(mode="after")
    def _ordered(self) -> "_Span":
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if len(self.text) != self.end - self.start:
            raise ValueError("text length does not match end - start")
        return self


class Token(_Span):
    """A word as segmented by underthesea (may contain spaces: `Phạm Minh Chính`)."""


class ProvinceLink(_Model):
    """The canonical province-level unit a PROVINCE mention refers to."""

    code: str = Field(description="GSO two-digit code of the unit before July 2025.")
    name: str = Field(description="Official name, without the generic word (`Ninh Thuận`).")
    type: str = Field(description="`tỉnh` or `thành phố trực thuộc trung ương`.")
    full_name: str
    merged_into_code: str = Field(description="Code of the unit it belongs to after the 2025 merger.")
    merged_into_name: str = Field(description="Name of the unit it belongs to after the 2025 merger.")


class Entity(_Span):
    """A PERSON, ORG or PROVINCE mention. A PROVINCE may nest inside an ORG."""

    label: str = Field(description="PERSON, ORG or PROVINCE (or a label a fine-tuned model adds).")
    score: Optional[float] = Field(default=None, ge=0.0, le=1.0)
    sentence: Optional[int] = Field(default=None, ge=0, description="Index of the sentence holding it.")
    province: Optional[ProvinceLink] = Field(default=None, description="Canonical unit, for PROVINCE.")
    canonical: Optional[str] = Field(default=None, description="For ORG: the long form (`UBND tỉnh X` -> `Ủy ban nhân dân tỉnh X`).")


class Directive(_Model):
    """Who gives an order and to whom, where the sentence says so."""

    issuer: Optional[str] = Field(default=None, description="A person or title (`Thủ tướng`).")
    issuer_start: Optional[Offset] = None
    issuer_end: Optional[Offset] = None
    addressees: list[str] = Field(default_factory=list, description="`các bộ, ngành, địa phương` …")
    deadline: Optional[DateMention] = Field(default=None, description="`trước ngày 20/7/2024`, when stated.")


class Sentence(_Span):
    index: int = Field(ge=0)
    tokens: list[Token] = Field(default_factory=list)
    label: Optional[str] = Field(
        default=None,
        description="Main function: achievement, shortcoming, directive or other (or a custom class).",
    )
    scores: dict[str, float] = Field(default_factory=dict, description="Probability per label; sums to 1.")
    directive: Optional[Directive] = None
    figures: list[Figure] = Field(default_factory=list, description="Numbers with value, kind, unit, indicator, scope, change.")
    dates: list[DateMention] = Field(default_factory=list, description="Event dates, periods and deadlines as ISO dates.")

    @field_validator("scores")
    @classmethod
    def _probabilities(cls, scores: dict[str, float]) -> dict[str, float]:
        if scores and abs(sum(scores.values()) - 1.0) > 1e-3:
            raise ValueError(f"scores must sum to 1, got {sum(scores.values()):.4f}")
        return scores


class ProvinceMentions(_Model):
    """All mentions of one province-level unit in a document."""

    province: ProvinceLink
    count: int = Field(ge=1)
    mentions: list[int] = Field(description="Indices into Document.entities.")


class Person(_Model):
    """A person with every mention and the titles and bodies the text attaches to them."""

    name: str = Field(description="The fullest form of the name in the document.")
    count: int = Field(ge=1)
    mentions: list[int] = Field(description="Indices into Document.entities.")
    titles: list[str] = Field(default_factory=list, description="`Phó Bí thư Tỉnh ủy`, `Chủ tịch UBND tỉnh` …")
    bodies: list[str] = Field(default_factory=list, description="ORG names inside those titles.")


class Document(_Model):
    """A parsed article."""

    id: Optional[str] = None
    source: Optional[str] = None
    published: Optional[str] = Field(
        default=None, description="ISO date or partial date: YYYY, YYYY-MM or YYYY-MM-DD; read from the text when not given."
    )
    text: str
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    provinces: list[ProvinceMentions] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    model: Optional[str] = Field(default=None, description="Name and version of the model that produced it.")
    library_version: Optional[str] = None

    @field_validator("published")
    @classmethod
    def _iso(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not _PARTIAL_DATE.match(value):
            raise ValueError(f"published must look like YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        return value

    @model_validator(mode="after")
    def _spans_inside(self) -> "Document":
        n = len(self.text)
        for span in [*self.sentences, *self.entities]:
            if span.end > n or self.text[span.start : span.end] != span.text:
                raise ValueError(f"span [{span.start}, {span.end}) does not match the document text")
        return self

    def sentences_labelled(self, label: str) -> list[Sentence]:
        return [s for s in self.sentences if s.label == label]

    @property
    def achievements(self) -> list[Sentence]:
        return self.sentences_labelled("achievement")

    @property
    def shortcomings(self) -> list[Sentence]:
        return self.sentences_labelled("shortcoming")

    @property
    def directives(self) -> list[Sentence]:
        return self.sentences_labelled("directive")

    @property
    def label_counts(self) -> dict[str, int]:
        """Sentences per label, every known label present (zero where absent)."""
        counts = Counter(s.label for s in self.sentences if s.label is not None)
        return {label: counts.get(label, 0) for label in [*SENTENCE_LABELS, *sorted(set(counts) - set(SENTENCE_LABELS))]}

    def entities_labelled(self, label: str) -> list[Entity]:
        return [e for e in self.entities if e.label == label]


def json_schema() -> dict:
    """The published JSON Schema of `Document` (also in ``schema/document.schema.json``)."""
    return Document.model_json_schema()
