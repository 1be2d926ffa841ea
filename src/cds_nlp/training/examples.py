"""Labelled rows -> spaCy `Example`s, on the same tokens the pipeline sees at run time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..convert import is_blank, sentence_doc
from ..sentence_features import register_context


@dataclass
class AlignmentReport:
    """Gold entity spans that do not fall on token boundaries (dropped from NER training)."""

    total: int = 0
    misaligned: list[tuple[str, str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        share = len(self.misaligned) / self.total if self.total else 0.0
        return f"{len(self.misaligned)} of {self.total} gold entity spans ({share:.2%}) cut through a token and were dropped"


def flat_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Top-level spans only: `doc.ents` cannot nest, and nested PROVINCE comes from the gazetteer."""
    flat: list[dict[str, Any]] = []
    for span in sorted(entities, key=lambda s: (s["start"], -s["end"])):
        if flat and span["start"] < flat[-1]["end"]:
            continue
        flat.append(span)
    return flat


def ner_examples(nlp: Language, rows: Iterable[dict[str, Any]], report: AlignmentReport | None = None) -> list[Example]:
    examples = []
    for row in rows:
        doc = nlp.make_doc(row["text"])
        spans = []
        for gold in flat_entities(row["entities"]):
            if report is not None:
                report.total += 1
            span = doc.char_span(gold["start"], gold["end"], label=gold["label"])
            if span is None:
                if report is not None:
                    report.misaligned.append((row["id"], row["text"][gold["start"]:gold["end"]], gold["label"]))
                continue
            spans.append(span)
        reference = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        reference.ents = [Span(reference, s.start, s.end, label=s.label_) for s in spans]
        examples.append(Example(doc, reference))
    return examples


def kept_sentences(doc: Doc, sentences: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], Span]]:
    """The labelled sentences that become classifier inputs (a span exists and is not blank), with their spans."""
    kept = []
    for sentence in sentences:
        span = doc.char_span(sentence["start"], sentence["end"], alignment_mode="expand")
        if span is not None and any(not is_blank(t) for t in span):
            kept.append((sentence, span))
    return kept


def sentence_items(nlp: Language, rows: Iterable[dict[str, Any]], target: str = "label") -> list[tuple[Doc, Any, str]]:
    """(sentence Doc, label, document id) for every gold sentence, tokenised in its document's context.

    `target` names the sentence field to return as the label (`"scores"` for a teacher's soft labels).

    The Docs are the bare sentences (`sentence_doc`); each is registered with its document's
    ordered sentence spans (`sentence_features.register_context`), so that a classifier with
    context features rebuilds exactly what `cds_sentence_labels` builds at run time.
    """
    items = []
    for row in rows:
        kept = kept_sentences(nlp.make_doc(row["text"]), row["sentences"])
        sent_docs = [sentence_doc(span) for _, span in kept]
        register_context(sent_docs, [span for _, span in kept])
        items += [(sent_doc, sentence[target], row["id"]) for sent_doc, (sentence, _) in zip(sent_docs, kept)]
    return items


def textcat_examples(docs: Iterable[Doc], cats: Iterable[dict[str, float]]) -> list[Example]:
    """Examples whose reference holds `cats`: one-hot for gold labels, probabilities for a teacher's."""
    examples = []
    for doc, targets in zip(docs, cats):
        gold = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        gold.cats = dict(targets)
        examples.append(Example(doc, gold))
    return examples


def one_hot(label: str, labels: Sequence[str]) -> dict[str, float]:
    return {name: float(name == label) for name in labels}
