"""spaCy `Doc` -> `Document`: the one place where spaCy types turn into ours."""

from __future__ import annotations

from spacy.tokens import Doc, Span
from spacy.tokens import Token as SpacyToken

from .document import Document, Entity, ProvinceLink, Sentence, Token

_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff\u00ad")

if not Doc.has_extension("sentence_scores"):
    Doc.set_extension("sentence_scores", default=None)
if not Span.has_extension("province"):
    Span.set_extension("province", default=None)


def is_blank(token: SpacyToken) -> bool:
    """Whitespace or invisible characters: kept in the Doc for offsets, never shown as a word."""
    return not token.text.translate(_INVISIBLE).strip()


def sentence_spans(doc: Doc) -> list[Span]:
    """Sentences trimmed of the whitespace tokens the tokenizer keeps between them."""
    spans: list[Span] = []
    for sent in doc.sents:
        start, end = sent.start, sent.end
        while start < end and is_blank(doc[start]):
            start += 1
        while end > start and is_blank(doc[end - 1]):
            end -= 1
        if end > start:
            spans.append(doc[start:end])
    return spans


def sentence_doc(span: Span) -> Doc:
    """A sentence as its own Doc, for per-sentence models.

    `Span.as_doc()` also copies the parent's annotations and user data, which costs
    time in the length of the whole article for every sentence: quadratic on long texts.
    """
    tokens = list(span)
    doc = Doc(span.doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
    for new, old in zip(doc, tokens):
        if new.norm_ != old.norm_:
            new.norm_ = old.norm_
    return doc


def _entity(span: Span, label: str, sentence_of: dict[int, int], score: float | None = None) -> Entity:
    link = span._.province
    return Entity(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        label=label,
        score=score,
        sentence=sentence_of.get(span.start),
        province=ProvinceLink(**link) if link else None,
    )


def to_document(doc: Doc, *, id: str | None = None, source: str | None = None, published: str | None = None,
                model: str | None = None, library_version: str | None = None) -> Document:
    sents = sentence_spans(doc)
    sentence_of = {token.i: index for index, sent in enumerate(sents) for token in sent}
    scores_by_start = doc._.sentence_scores or {}
    sentences = []
    for index, sent in enumerate(sents):
        scores = scores_by_start.get(sent.start_char, {})
        sentences.append(
            Sentence(
                index=index,
                start=sent.start_char,
                end=sent.end_char,
                text=sent.text,
                tokens=[Token(text=t.text, start=t.idx, end=t.idx + len(t.text)) for t in sent if not is_blank(t)],
                label=max(scores, key=scores.__getitem__) if scores else None,
                scores=scores,
            )
        )
    entities = [_entity(span, span.label_, sentence_of) for span in doc.ents]
    seen = {(e.start, e.end, e.label) for e in entities}
    for span in doc.spans.get("provinces", []):
        key = (span.start_char, span.end_char, "PROVINCE")
        if key not in seen:
            entities.append(_entity(span, "PROVINCE", sentence_of))
            seen.add(key)
    entities.sort(key=lambda e: (e.start, -e.end))
    return Document(
        id=id, source=source, published=published, text=doc.text, sentences=sentences, entities=entities,
        model=model, library_version=library_version,
    )
