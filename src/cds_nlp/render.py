"""A standalone HTML page for reading parsed Documents: entities and sentence functions in colour.

Entities are drawn by displaCy (``style="ent"``, ``manual=True``) from our character
offsets, so nothing is re-tokenised and every offset is kept exactly, combining marks
included. displaCy's ``ent`` style is flat; a PROVINCE nested in an ORG is drawn inside
the ORG's mark as an underline with a tooltip, through our own entity template.
Each sentence is its own block with the colour of its function (achievement,
shortcoming, directive, other) and its probabilities on hover. The page carries a
Content-Security-Policy that forbids scripts and every network fetch: it is a file to
open anywhere, and text from an article can never run as code in it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Union

from spacy import displacy

from .document import ENTITY_LABELS, SENTENCE_LABELS, Document, Entity, Sentence

if TYPE_CHECKING:
    from .batch import ErrorRow

ENTITY_COLOURS: dict[str, str] = {"PERSON": "#d7c6ff", "ORG": "#ffd08a", "PROVINCE": "#8fdcc8"}
DEFAULT_ENTITY_COLOUR = "#dddddd"
# Darker shades for the underline of a nested entity, readable on its parent's background.
UNDERLINE_COLOURS: dict[str, str] = {"PERSON": "#7b5cd6", "ORG": "#c77c00", "PROVINCE": "#148f76"}
DEFAULT_UNDERLINE_COLOUR = "#666666"
ENTITY_DESCRIPTIONS: dict[str, str] = {
    "PERSON": "person (người)",
    "ORG": "organisation (cơ quan, tổ chức)",
    "PROVINCE": "province-level unit (tỉnh, thành phố)",
}

# (border, background) per sentence function.
SENTENCE_COLOURS: dict[str, tuple[str, str]] = {
    "achievement": ("#2e9e5b", "#e9f7ee"),
    "shortcoming": ("#d64545", "#fdeded"),
    "directive": ("#2f6fd6", "#e9f0fd"),
    "other": ("#9aa0a6", "#f4f5f6"),
}
DEFAULT_SENTENCE_COLOURS: tuple[str, str] = ("#8e6bbf", "#f3eefa")
UNLABELLED_COLOURS: tuple[str, str] = ("#a4aab0", "#ffffff")
SENTENCE_DESCRIPTIONS: dict[str, str] = {
    "achievement": "result or progress reported (kết quả đạt được)",
    "shortcoming": "problem or limitation (hạn chế, tồn tại)",
    "directive": "instruction or task given (chỉ đạo, nhiệm vụ)",
    "other": "everything else (khác)",
}

# No scripts, no fetches: the page is self-contained and injected text stays inert.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Our own displaCy entity template: the label is drawn by CSS from data-label, so the
# mark's text is exactly the entity's text; {inner} is markup we escape ourselves.
_ENTITY_TEMPLATE = (
    '<mark class="entity entity-{css}" data-entity="{index}" data-label="{label_attr}" '
    'data-start="{start}" data-end="{end}" title="{title}" style="background: {bg}">{inner}</mark>'
)

BASE_CSS = """
body { font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
       color: #1f2328; margin: 0; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.4rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
.meta { color: #57606a; font-size: 0.9rem; margin: 0 0 0.8rem; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 0.4rem 0 1rem; background: #fff; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #f0f2f4; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #57606a; font-size: 0.9rem; }
"""

RENDER_CSS = """
.legend { background: #fff; border: 1px solid #d0d7de; border-radius: 8px;
          padding: 0.6rem 1rem; margin: 0.8rem 0 1rem; box-shadow: 0 2px 6px rgba(0,0,0,0.06); }
.legend h2 { margin: 0 0 0.3rem; font-size: 1rem; }
.legend ul { list-style: none; margin: 0.2rem 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; }
.legend li { font-size: 0.88rem; }
.swatch { display: inline-block; width: 1.6rem; height: 1rem; vertical-align: -0.15rem; margin-right: 0.35rem;
          border-left: 5px solid; border-radius: 2px; }
.document { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.8rem 1.2rem 1rem;
            margin: 1rem 0 2rem; }
.document > header h2 { margin: 0.2rem 0; }
.counts span { display: inline-block; font-size: 0.8rem; border-radius: 1rem; padding: 0 0.6rem; margin: 0 0.3rem 0.3rem 0;
               border: 1px solid; }
.segment { position: relative; border-left: 5px solid; border-radius: 3px; padding: 0.15rem 7.5rem 0.15rem 0.7rem;
           margin: 0.25rem 0; }
.segment.paragraph-start { margin-top: 1rem; }
.segment::after { content: attr(data-badge); position: absolute; right: 0.4rem; top: 0.35rem; font-size: 0.72rem;
                  font-weight: 600; color: #fff; border-radius: 0.8rem; padding: 0 0.5rem; background: var(--badge); }
.segment .entities { white-space: pre-wrap; line-height: 2.1 !important; }
mark.entity { padding: 0.15em 0.3em; margin: 0 0.08em; border-radius: 0.35em; line-height: 1; color: inherit;
              box-decoration-break: clone; -webkit-box-decoration-break: clone; }
mark.entity::after { content: attr(data-label); font-size: 0.62em; font-weight: 700; margin-left: 0.35em;
                     vertical-align: 0.1em; opacity: 0.75; }
.nested { text-decoration: underline 3px; text-decoration-color: var(--underline); text-underline-offset: 3px;
          text-decoration-skip-ink: none; }
.nested::after { content: attr(data-label); font-size: 0.55em; font-weight: 700; vertical-align: super;
                 margin-left: 0.15em; }
.error-row { border: 1px solid #d64545; background: #fdeded; border-radius: 6px; padding: 0.5rem 0.8rem; margin: 0.6rem 0; }
details { margin-top: 0.8rem; }
summary { cursor: pointer; color: #57606a; }
"""


def escape(text: object) -> str:
    """Escape for HTML text and quoted attributes alike (quotes included)."""
    return html.escape(str(text), quote=True)


def css_name(label: str) -> str:
    """A label as a CSS class fragment: labels may come from a fine-tuned model and hold anything."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", label) or "_"


def entity_colour(label: str) -> str:
    return ENTITY_COLOURS.get(label.upper(), DEFAULT_ENTITY_COLOUR)


def sentence_colours(label: Optional[str]) -> tuple[str, str]:
    if label is None:
        return UNLABELLED_COLOURS
    return SENTENCE_COLOURS.get(label, DEFAULT_SENTENCE_COLOURS)


def page(title: str, body: str, css: str = "") -> str:
    """A complete, self-contained HTML page (UTF-8, no scripts, nothing fetched)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


@dataclass
class _Mark:
    """An entity clipped to the stretch of text being drawn, with the marks nested in it."""

    start: int
    end: int
    index: int
    entity: Entity
    clipped: bool
    children: list["_Mark"] = field(default_factory=list)


def _nest(marks: list[_Mark]) -> list[_Mark]:
    """Outermost marks in order, each holding the marks that start inside it (clipped to it).

    Sorting by (start, longest first) makes the outer mark come before what it contains;
    a mark that crosses its parent's end is clipped there, so the result is a proper tree.
    """
    top: list[_Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end, m.index)):
        if top and mark.start < top[-1].end:
            parent = top[-1]
            if mark.end > parent.end:
                mark.end, mark.clipped = parent.end, True
            parent.children.append(mark)
        else:
            top.append(mark)
    for mark in top:
        mark.children = _nest(mark.children)
    return top


def _marks(entities: Sequence[Entity], start: int, end: int) -> list[_Mark]:
    """The entities overlapping [start, end), clipped to it, as a tree."""
    marks = []
    for index, entity in enumerate(entities):
        lo, hi = max(entity.start, start), min(entity.end, end)
        if lo < hi:
            marks.append(_Mark(lo, hi, index, entity, clipped=(lo, hi) != (entity.start, entity.end)))
    return _nest(marks)


def _entity_title(mark: _Mark) -> str:
    """The tooltip: label, score, province link, and whether the mark shows only part of it."""
    entity = mark.entity
    parts = [entity.label]
    if entity.score is not None:
        parts.append(f"score {entity.score:.2f}")
    if entity.province is not None:
        link = entity.province
        parts.append(f"{link.full_name} (code {link.code})")
        if link.merged_into_code != link.code:
            parts.append(f"since July 2025 part of {link.merged_into_name} ({link.merged_into_code})")
    parts.append(f"chars {entity.start}–{entity.end}")
    if mark.clipped:
        parts.append(f"part of “{entity.text}”")
    return " · ".join(parts)


def _inner(text: str, start: int, end: int, children: list[_Mark]) -> str:
    """Escaped text of [start, end) with nested marks drawn as underlines (below displaCy's level)."""
    out: list[str] = []
    cursor = start
    for child in children:
        out.append(escape(text[cursor : child.start]))
        colour = UNDERLINE_COLOURS.get(child.entity.label.upper(), DEFAULT_UNDERLINE_COLOUR)
        out.append(
            f'<span class="nested entity-{css_name(child.entity.label)}" data-entity="{child.index}" '
            f'data-label="{escape(child.entity.label)}" data-start="{child.entity.start}" data-end="{child.entity.end}" '
            f'title="{escape(_entity_title(child))}" style="--underline: {colour}">'
            f"{_inner(text, child.start, child.end, child.children)}</span>"
        )
        cursor = child.end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def _displacy(text: str, start: int, end: int, entities: Sequence[Entity]) -> str:
    """The stretch [start, end) of `text` through displaCy, entities in colour."""
    ents = []
    for mark in _marks(entities, start, end):
        ents.append({
            "start": mark.start - start,
            "end": mark.end - start,
            "label": mark.entity.label,
            "params": {
                "css": css_name(mark.entity.label),
                "index": mark.index,
                "label_attr": escape(mark.entity.label),
                "start": mark.entity.start,
                "end": mark.entity.end,
                "title": escape(_entity_title(mark)),
                "inner": _inner(text, mark.start, mark.end, mark.children),
            },
        })
    options = {"colors": ENTITY_COLOURS, "template": _ENTITY_TEMPLATE}
    return displacy.render({"text": text[start:end], "ents": ents}, style="ent", manual=True, page=False,
                           jupyter=False, options=options)


def _scores_title(sentence: Sentence) -> str:
    """Hover text for a sentence: its label and every probability, highest first."""
    head = sentence.label or "unlabelled"
    if not sentence.scores:
        return f"{head} (no probabilities)"
    ranked = sorted(sentence.scores.items(), key=lambda item: -item[1])
    return f"{head} — " + ", ".join(f"{label} {score:.0%}" for label, score in ranked)


def _badge(sentence: Sentence) -> str:
    label = sentence.label or "unlabelled"
    score = sentence.scores.get(sentence.label) if sentence.label else None
    return f"{label} {score:.0%}" if score is not None else label


def _segment(document: Document, start: int, end: int, sentence: Optional[Sentence], paragraph: bool) -> str:
    """One block of text: a sentence in its label's colour, or text no sentence covers."""
    text = document.text
    classes = ["segment"]
    if paragraph:
        classes.append("paragraph-start")
    if sentence is None:
        border, background = UNLABELLED_COLOURS
        classes.append("gap")
        attributes = f'data-start="{start}" data-end="{end}" data-badge="no sentence" title="text outside any sentence"'
    else:
        border, background = sentence_colours(sentence.label)
        classes += ["sentence", f"label-{css_name(sentence.label or 'unlabelled')}"]
        attributes = (
            f'data-index="{sentence.index}" data-label="{escape(sentence.label or "")}" '
            f'data-start="{sentence.start}" data-end="{sentence.end}" data-badge="{escape(_badge(sentence))}" '
            f'title="{escape(_scores_title(sentence))}"'
        )
    style = f"border-left-color: {border}; background: {background}; --badge: {border}"
    return (f'<div class="{" ".join(classes)}" {attributes} style="{style}">'
            f"{_displacy(text, start, end, document.entities)}</div>")


def render_text(document: Document) -> str:
    """The document's text, sentence by sentence, every character once and in order.

    Whitespace between sentences becomes block spacing (a blank line starts a
    paragraph); any other text no sentence covers is shown in a neutral block.
    """
    text = document.text
    blocks: list[str] = []
    cursor = 0
    paragraph = False
    for sentence in sorted(document.sentences, key=lambda s: (s.start, s.end)):
        start = max(sentence.start, cursor)
        gap = text[cursor:start]
        if gap.strip():
            blocks.append(_segment(document, cursor, start, None, paragraph))
            paragraph = False
        elif "\n" in gap:
            paragraph = bool(blocks)
        if start < sentence.end or sentence.start == sentence.end:
            blocks.append(_segment(document, start, sentence.end, sentence, paragraph))
            paragraph = False
        cursor = max(cursor, sentence.end)
    if text[cursor:].strip():
        blocks.append(_segment(document, cursor, len(text), None, paragraph))
    return '<div class="text">' + "".join(blocks) + "</div>"


def _label_counts(document: Document) -> str:
    chips = []
    for label, count in document.label_counts.items():
        border, background = sentence_colours(label)
        chips.append(f'<span style="border-color: {border}; background: {background}">{escape(label)} {count}</span>')
    unlabelled = sum(1 for s in document.sentences if s.label is None)
    if unlabelled:
        chips.append(f'<span style="border-color: #d0d3d6">unlabelled {unlabelled}</span>')
    return '<p class="counts">' + "".join(chips) + "</p>"


def _details(document: Document) -> str:
    """Every entity with its offsets, and the province and people summaries, folded away."""
    rows = []
    for index, entity in enumerate(document.entities):
        link = entity.province
        province = f"{escape(link.name)} ({escape(link.code)}) → {escape(link.merged_into_name)}" if link else ""
        rows.append(
            f'<tr data-entity="{index}"><td class="number">{index}</td><td>{escape(entity.label)}</td>'
            f'<td class="entity-text">{escape(entity.text)}</td><td class="number">{entity.start}–{entity.end}</td>'
            f"<td>{province}</td></tr>"
        )
    parts = [
        f"<details><summary>Entities ({len(document.entities)})</summary>"
        "<table><tr><th>#</th><th>label</th><th>text</th><th>chars</th><th>province</th></tr>"
        + "".join(rows) + "</table></details>"
    ]
    if document.provinces:
        rows = [f"<tr><td>{escape(p.province.full_name)}</td><td class=\"number\">{p.count}</td>"
                f"<td>{escape(p.province.merged_into_name)}</td></tr>" for p in document.provinces]
        parts.append(f"<details><summary>Provinces ({len(document.provinces)})</summary>"
                     "<table><tr><th>unit</th><th class=\"number\">mentions</th><th>after July 2025</th></tr>"
                     + "".join(rows) + "</table></details>")
    if document.people:
        rows = [f"<tr><td>{escape(p.name)}</td><td class=\"number\">{p.count}</td>"
                f"<td>{escape('; '.join(p.titles))}</td><td>{escape('; '.join(p.bodies))}</td></tr>"
                for p in document.people]
        parts.append(f"<details><summary>People ({len(document.people)})</summary>"
                     "<table><tr><th>name</th><th class=\"number\">mentions</th><th>titles</th><th>bodies</th></tr>"
                     + "".join(rows) + "</table></details>")
    return "".join(parts)


def render_document(document: Document, *, number: int = 0) -> str:
    """One document as an HTML section: header, label counts, coloured text, details."""
    heading = document.id or f"Document {number + 1}"
    facts = [
        f"source: {document.source}" if document.source else None,
        f"published: {document.published}" if document.published else None,
        f"model: {document.model}" if document.model else None,
        f"{len(document.sentences)} sentences, {len(document.entities)} entities, {len(document.text)} characters",
    ]
    meta = " · ".join(escape(fact) for fact in facts if fact)
    return (
        f'<section class="document" id="document-{number}"><header><h2>{escape(heading)}</h2>'
        f'<p class="meta">{meta}</p>{_label_counts(document)}</header>'
        f"{render_text(document)}{_details(document)}</section>"
    )


def legend(labels: Iterable[str] = SENTENCE_LABELS, entity_labels: Iterable[str] = ENTITY_LABELS) -> str:
    """What the colours mean: the sentence functions first, then the entity types."""
    sentence_items = []
    for label in labels:
        border, background = sentence_colours(label)
        description = SENTENCE_DESCRIPTIONS.get(label, "label from a custom model")
        sentence_items.append(
            f'<li class="legend-sentence" data-label="{escape(label)}"><span class="swatch" '
            f'style="border-color: {border}; background: {background}"></span><b>{escape(label)}</b> — '
            f"{escape(description)}</li>"
        )
    entity_items = []
    for label in entity_labels:
        entity_items.append(
            f'<li class="legend-entity" data-label="{escape(label)}"><mark class="entity" data-label="{escape(label)}" '
            f'style="background: {entity_colour(label)}">{escape(ENTITY_DESCRIPTIONS.get(label, label))}</mark></li>'
        )
    entity_items.append(
        f'<li class="legend-entity"><mark class="entity" data-label="ORG" style="background: {entity_colour("ORG")}">'
        f'UBND <span class="nested" data-label="PROVINCE" style="--underline: {UNDERLINE_COLOURS["PROVINCE"]}">'
        "tỉnh X</span></mark> a province inside an organisation is underlined</li>"
    )
    return (
        '<aside class="legend"><h2>Legend</h2>'
        f'<ul class="legend-sentences">{"".join(sentence_items)}</ul>'
        f'<ul class="legend-entities">{"".join(entity_items)}</ul>'
        '<p class="note">Hover a sentence for its probabilities and an entity for its details.</p></aside>'
    )


def _error_block(row: "ErrorRow") -> str:
    """A row that could not be parsed: shown in its place so nothing is silently lost."""
    return f'<div class="error-row"><b>{escape(row.id or "?")}</b>: {escape(row.error)} — {escape(row.message)}</div>'


def render_page(rows: Iterable[Union[Document, "ErrorRow"]], *, title: str = "cds_nlp documents") -> str:
    """A standalone page for Documents (rows that are not Documents are shown as errors)."""
    rows = list(rows)
    documents = [row for row in rows if isinstance(row, Document)]
    labels = list(SENTENCE_LABELS)
    for document in documents:
        labels += [s.label for s in document.sentences if s.label and s.label not in labels]
    entity_labels = list(ENTITY_LABELS)
    for document in documents:
        entity_labels += [e.label for e in document.entities if e.label not in entity_labels]
    sections = []
    for number, row in enumerate(rows):
        sections.append(render_document(row, number=number) if isinstance(row, Document) else _error_block(row))
    failed = len(rows) - len(documents)
    summary = f"{len(documents)} document(s)" + (f", {failed} row(s) that could not be parsed" if failed else "")
    body = (f"<h1>{escape(title)}</h1><p class=\"meta\">{escape(summary)}</p>"
            f"{legend(labels, entity_labels)}{''.join(sections)}")
    return page(title, body, RENDER_CSS)
