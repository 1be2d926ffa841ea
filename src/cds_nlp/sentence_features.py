"""What the sentence classifier sees of a sentence: its tokens plus, optionally, its context.

One function, `sentence_docs`, turns the ordered sentence spans of a document
into the `Doc`s the `textcat` scores. Training (`training.examples`) and
inference (`components.sentence_labels`) both call it, so the featurisation
cannot drift between them.

A feature set is a "+"-joined string of parts (``"none"`` = the bare sentence,
`convert.sentence_doc(span)`, what models before context features were trained on):

- ``pos``: the sentence's index in the document (0, 1, 2, 3+), as a marker token;
- ``head``: a marker when the sentence does not end in sentence-final punctuation
  (headings, captions, bylines);
- ``par``: a marker when the sentence starts a line / paragraph;
- ``prevend``: the last character class of the previous sentence (``:`` announces a list);
- ``prev``: the words of the previous sentence, each prefixed with ``p:`` so they are
  features of their own (at most `PREV_WORDS`, from the end of that sentence);
- ``sec``: the words of the most recent heading-like sentence (no final punctuation,
  short), prefixed with ``h:``.

Marker tokens are prepended; the sentence's own tokens keep their text and norm.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from .convert import sentence_doc

NONE = "none"
PARTS = ("pos", "head", "par", "prevend", "prev", "sec")
PREV_WORDS = 24
HEADING_MAX_WORDS = 20
FINAL = set(".!?…;")
CLOSERS = set("\"'”’)»]")


def parse(features: str) -> tuple[str, ...]:
    if not features or features == NONE:
        return ()
    parts = tuple(p for p in features.split("+") if p)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ValueError(f"unknown sentence feature(s) {unknown}; known: {PARTS}")
    return parts


def _words(span: Span) -> list[str]:
    return [t.norm_ for t in span if t.text.strip()]


def _last_char(span: Span) -> str:
    text = span.text.rstrip()
    while text and text[-1] in CLOSERS:
        text = text[:-1].rstrip()
    return text[-1] if text else ""


def _is_heading(span: Span) -> bool:
    return _last_char(span) not in FINAL and _last_char(span) != ":" and len(_words(span)) <= HEADING_MAX_WORDS


def _starts_line(span: Span) -> bool:
    """Walk back over tokens: `doc.text` would rebuild the whole article for every sentence."""
    for i in range(span.start - 1, -1, -1):
        text = span.doc[i].text
        if "\n" in text:  # only the whitespace tokens between sentences hold line breaks
            return True
        if text.strip():
            return False
    return True


def _end_class(span: Span | None) -> str:
    if span is None:
        return "none"
    c = _last_char(span)
    if c == ":":
        return "colon"
    if c in FINAL:
        return "final"
    if c == ",":
        return "comma"
    return "open"


def _with_markers(span: Span, markers: list[str]) -> Doc:
    if not markers:
        return sentence_doc(span)
    tokens = list(span)
    words = markers + [t.text for t in tokens]
    spaces = [True] * len(markers) + [bool(t.whitespace_) for t in tokens]
    doc = Doc(span.doc.vocab, words=words, spaces=spaces)
    for token, source in zip(doc[len(markers):], tokens):
        if source.norm_ != token.norm_:
            token.norm_ = source.norm_
    return doc


def sentence_docs(spans: Sequence[Span], features: str = NONE) -> list[Doc]:
    """The Docs to classify, one per span; `spans` are the sentences of ONE document, in order."""
    parts = parse(features)
    if not parts:
        return [sentence_doc(span) for span in spans]
    docs: list[Doc] = []
    previous: Span | None = None
    heading: Span | None = None
    for index, span in enumerate(spans):
        markers: list[str] = []
        if "pos" in parts:
            markers.append(f"⟦pos{min(index, 3)}⟧")
        if "head" in parts and _is_heading(span):
            markers.append("⟦head⟧")
        if "par" in parts and _starts_line(span):
            markers.append("⟦par⟧")
        if "prevend" in parts:
            markers.append(f"⟦prev-{_end_class(previous)}⟧")
        if "sec" in parts and heading is not None:
            markers += ["h:" + w for w in _words(heading)]
        if "prev" in parts and previous is not None:
            markers += ["p:" + w for w in _words(previous)[-PREV_WORDS:]]
        docs.append(_with_markers(span, markers))
        previous = span
        if _is_heading(span):
            heading = span
    return docs


# --- context of a bare sentence Doc ------------------------------------------------------------------
#
# `training.examples.sentence_items` hands out bare `span.as_doc()` Docs (what callers have always
# received); it registers here where each came from, so that the classifier can rebuild the
# featurised Doc and group sentences by document. A weak registry: nothing is added to the Doc
# itself (its user_data stays serialisable) and entries vanish with the Docs.

_CONTEXT: "weakref.WeakKeyDictionary[Doc, tuple[list[Span], int]]" = weakref.WeakKeyDictionary()


def register_context(docs: Sequence[Doc], spans: Sequence[Span]) -> None:
    """Record that docs[i] is the bare Doc of spans[i], the spans being one document's sentences in order."""
    shared = list(spans)
    for i, doc in enumerate(docs):
        _CONTEXT[doc] = (shared, i)


def group_by_document(docs: Sequence[Doc]) -> list[list[int]]:
    """Indices of `docs` in runs of consecutive sentences of the same document (unregistered Docs: alone)."""
    groups: list[list[int]] = []
    last = None
    for i, doc in enumerate(docs):
        ctx = _CONTEXT.get(doc)
        key = id(ctx[0]) if ctx is not None else None
        if groups and key is not None and key == last:
            groups[-1].append(i)
        else:
            groups.append([i])
        last = key
    return groups


def featurise(docs: Sequence[Doc], features: str = NONE) -> list[Doc]:
    """The classifier inputs for bare sentence Docs, rebuilt with context from the registry."""
    if not parse(features):
        return list(docs)
    out: list[Doc] = []
    missing = 0
    cache: dict[int, list[Doc]] = {}
    for doc in docs:
        ctx = _CONTEXT.get(doc)
        if ctx is None:
            missing += 1
            out.append(sentence_docs([doc[:]], features)[0])
            continue
        spans, index = ctx
        if id(spans) not in cache:
            cache[id(spans)] = sentence_docs(spans, features)
        out.append(cache[id(spans)][index])
    if missing:
        warnings.warn(f"{missing} sentence Doc(s) without document context scored as isolated sentences; "
                      "pass sentence spans (SentenceLabeler.score_spans) to keep the context features", stacklevel=2)
    return out


# --- neighbouring labels -----------------------------------------------------------------------------
#
# Sentence functions come in runs (in train, a shortcoming follows a shortcoming half of the time,
# against a 5% base rate). `smooth` treats the classifier's per-sentence probabilities as the
# emissions of a first-order HMM (p(x|y) ∝ p(y|x) / p(y)) whose transition matrix is estimated on
# the training documents, and returns the forward-backward marginals: still one distribution per
# sentence summing to 1. `strength` interpolates between no smoothing (0: the rows of the
# transition matrix are the prior, marginals = input) and the full estimated matrix (1).


def transition_stats(sequences: Sequence[Sequence[str]], labels: Sequence[str], pseudo: float = 1.0) -> dict:
    """Label prior, start distribution and transition matrix from gold label sequences (add-`pseudo` smoothing)."""
    prior = {label: pseudo for label in labels}
    start = {label: pseudo for label in labels}
    trans = {a: {b: pseudo for b in labels} for a in labels}
    for seq in sequences:
        for i, label in enumerate(seq):
            prior[label] += 1
            if i == 0:
                start[label] += 1
            else:
                trans[seq[i - 1]][label] += 1

    def norm(d: dict[str, float]) -> dict[str, float]:
        total = sum(d.values())
        return {k: v / total for k, v in d.items()}

    return {"prior": norm(prior), "start": norm(start), "trans": {a: norm(row) for a, row in trans.items()}}


def smooth(scores: Sequence[dict[str, float]], stats: dict | None, strength: float) -> list[dict[str, float]]:
    """Forward-backward marginals of one document's sentence distributions (see above)."""
    if not scores or not stats or strength <= 0:
        return [dict(s) for s in scores]
    labels = list(scores[0])
    prior = stats["prior"]
    start = {y: (1 - strength) * prior[y] + strength * stats["start"][y] for y in labels}
    trans = {a: {b: (1 - strength) * prior[b] + strength * stats["trans"][a][b] for b in labels} for a in labels}
    emit = [{y: max(s.get(y, 0.0), 1e-9) / prior[y] for y in labels} for s in scores]
    n = len(scores)
    alpha: list[dict[str, float]] = []
    for i in range(n):
        if i == 0:
            a = {y: start[y] * emit[0][y] for y in labels}
        else:
            prev = alpha[-1]
            a = {y: emit[i][y] * sum(prev[x] * trans[x][y] for x in labels) for y in labels}
        total = sum(a.values())
        alpha.append({y: v / total for y, v in a.items()})
    beta: list[dict[str, float]] = [dict.fromkeys(labels, 1.0) for _ in range(n)]
    for i in range(n - 2, -1, -1):
        b = {x: sum(trans[x][y] * emit[i + 1][y] * beta[i + 1][y] for y in labels) for x in labels}
        total = sum(b.values())
        beta[i] = {x: v / total for x, v in b.items()}
    out = []
    for a, b in zip(alpha, beta):
        g = {y: a[y] * b[y] for y in labels}
        total = sum(g.values())
        out.append({y: v / total for y, v in g.items()})
    return out
