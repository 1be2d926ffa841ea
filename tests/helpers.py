"""Build Documents by hand (entities found by string) to test the document-level logic without a model."""

from __future__ import annotations

from cds_nlp.document import Document, Entity, Sentence
from cds_nlp.sentences import split_sentences


def make_document(text: str, entities: list[tuple[str, str]], labels: list[str] | None = None) -> Document:
    spans = []
    for surface, label in entities:
        start = text.find(surface)
        while start != -1:
            spans.append(Entity(start=start, end=start + len(surface), text=surface, label=label))
            start = text.find(surface, start + 1)
    sentences = []
    for i, (s, e) in enumerate(split_sentences(text)):
        label = labels[i] if labels else "other"
        sentences.append(Sentence(index=i, start=s, end=e, text=text[s:e], label=label, scores={label: 1.0}))
    for entity in spans:
        entity.sentence = next((s.index for s in sentences if s.start <= entity.start < s.end), None)
    spans.sort(key=lambda x: (x.start, -x.end))
    return Document(text=text, sentences=sentences, entities=spans)
