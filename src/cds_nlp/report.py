"""A one-page HTML report over an archive of parsed rows (the JSONL `cds-nlp parse` writes).

What an analyst asks first: which provinces are talked about, how the sentences split
between achievements, shortcomings and directives, who and which bodies appear most,
and which figures are reported. Charts are inline SVG drawn here, so the page is one
self-contained file that fetches nothing. Rows that failed to parse (ErrorRow) and
lines that cannot be read are counted, never silently dropped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from pydantic import ValidationError

from .batch import ErrorRow
from .jsonl import read_jsonl
from .document import SENTENCE_LABELS, Document, Sentence
from .render import escape, page, sentence_colours

PROVINCE_BAR = "#2a9d8f"
MERGED_BAR = "#6c7fd8"
PEOPLE_SHOWN = 20
FIGURES_SHOWN = 300
ERRORS_SHOWN = 100


@dataclass(frozen=True)
class UnreadableLine:
    """A line of the archive that is neither a Document nor an ErrorRow."""

    line: int
    message: str


ArchiveRow = Union[Document, ErrorRow, UnreadableLine]


def _without_extra_fields(record: dict[str, Any], error: ValidationError) -> Optional[dict[str, Any]]:
    """The record minus the fields this version does not know, if those were the only problem.

    An archive written by a newer cds_nlp (say with `Sentence.figures`) should still be
    readable by an older one; anything else wrong with the row is a real error.
    """
    problems = error.errors()
    if not problems or any(problem["type"] != "extra_forbidden" for problem in problems):
        return None
    for problem in problems:
        *path, key = problem["loc"]
        holder: Any = record
        for step in path:
            holder = holder[step]
        holder.pop(key, None)
    return record


def read_record(record: Any, line: int) -> ArchiveRow:
    """One decoded JSON line as a Document, an ErrorRow, or the reason it is neither."""
    if not isinstance(record, dict):
        return UnreadableLine(line, "line is not a JSON object")
    if "text" not in record and "error" in record:
        return ErrorRow(id=_optional_str(record.get("id")), source=_optional_str(record.get("source")),
                        error=str(record["error"]), message=str(record.get("message", "")))
    try:
        return Document.model_validate(record)
    except ValidationError as error:
        stripped = _without_extra_fields(record, error)
        if stripped is not None:
            try:
                return Document.model_validate(stripped)
            except ValidationError as again:
                error = again
        return UnreadableLine(line, f"not a Document: {error.error_count()} problem(s), first: {error.errors()[0]['msg']}")


def _optional_str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def read_archive(path: Union[str, Path]) -> Iterator[ArchiveRow]:
    """Every non-blank line of a JSONL archive, in order, as a row."""
    for number, record in read_jsonl(path):
        yield UnreadableLine(number, record) if isinstance(record, str) else read_record(record, number)


@dataclass(frozen=True)
class FigureRow:
    """A figure a sentence reports, with the sentence for context."""

    document: str
    sentence: int
    sentence_text: str
    text: str
    value: str
    unit: str
    kind: str
    indicator: str


@dataclass
class PersonTally:
    mentions: int = 0
    documents: int = 0
    titles: Counter = field(default_factory=Counter)


@dataclass
class ArchiveSummary:
    """The numbers the report shows, gathered in one pass over the archive."""

    documents: int = 0
    sentences: int = 0
    entities: int = 0
    errors: list[ErrorRow] = field(default_factory=list)
    unreadable: list[UnreadableLine] = field(default_factory=list)
    labels: Counter = field(default_factory=Counter)
    province_names: dict[str, str] = field(default_factory=dict)
    province_mentions: Counter = field(default_factory=Counter)
    province_documents: Counter = field(default_factory=Counter)
    merged_names: dict[str, str] = field(default_factory=dict)
    merged_mentions: Counter = field(default_factory=Counter)
    unlinked_provinces: int = 0
    people: dict[str, PersonTally] = field(default_factory=lambda: defaultdict(PersonTally))
    organisations: Counter = field(default_factory=Counter)
    organisation_documents: Counter = field(default_factory=Counter)
    figures: list[FigureRow] = field(default_factory=list)
    figures_supported: bool = False
    published: list[str] = field(default_factory=list)

    def add(self, row: ArchiveRow) -> None:
        if isinstance(row, ErrorRow):
            self.errors.append(row)
        elif isinstance(row, UnreadableLine):
            self.unreadable.append(row)
        else:
            self._add_document(row)

    def _add_document(self, document: Document) -> None:
        self.documents += 1
        self.sentences += len(document.sentences)
        self.entities += len(document.entities)
        if document.published:
            self.published.append(document.published)
        self.labels.update(s.label or "unlabelled" for s in document.sentences)
        self._add_provinces(document)
        self._add_people(document)
        organisations = Counter(" ".join(e.text.split()) for e in document.entities_labelled("ORG"))
        self.organisations.update(organisations)
        self.organisation_documents.update(organisations.keys())
        name = document.id or f"document {self.documents}"
        for sentence in document.sentences:
            self._add_figures(name, sentence)

    def _add_provinces(self, document: Document) -> None:
        """Count by canonical unit: Document.provinces, or the linked PROVINCE entities if it is empty."""
        self.unlinked_provinces += sum(1 for e in document.entities_labelled("PROVINCE") if e.province is None)
        if document.provinces:
            units = [(row.province, row.count) for row in document.provinces]
        else:
            linked = [e.province for e in document.entities_labelled("PROVINCE") if e.province is not None]
            counts = Counter(link.code for link in linked)
            first = {link.code: link for link in reversed(linked)}
            units = [(first[code], count) for code, count in counts.items()]
        for link, count in units:
            self.province_names[link.code] = link.name
            self.province_mentions[link.code] += count
            self.province_documents[link.code] += 1
            self.merged_names[link.merged_into_code] = link.merged_into_name
            self.merged_mentions[link.merged_into_code] += count

    def _add_people(self, document: Document) -> None:
        """People by name: Document.people, or the PERSON entities if it is empty."""
        if document.people:
            people = [(" ".join(p.name.split()), p.count, p.titles) for p in document.people]
        else:
            counts = Counter(" ".join(e.text.split()) for e in document.entities_labelled("PERSON"))
            people = [(name, count, []) for name, count in counts.items()]
        for name, count, titles in people:
            tally = self.people[name]
            tally.mentions += count
            tally.documents += 1
            tally.titles.update(titles)

    def _add_figures(self, document: str, sentence: Sentence) -> None:
        """Figures come from `Sentence.figures` when this version has it; absent means none."""
        if "figures" in type(sentence).model_fields:
            self.figures_supported = True
        for figure in getattr(sentence, "figures", None) or []:
            self.figures_supported = True
            self.figures.append(FigureRow(
                document=document, sentence=sentence.index, sentence_text=sentence.text,
                text=_field(figure, "text"), value=_number(_raw(figure, "value")), unit=_field(figure, "unit"),
                kind=_field(figure, "kind"), indicator=_field(figure, "indicator"),
            ))


def _raw(item: Any, name: str) -> Any:
    """A figure's field, whether the figure is a model or a plain dict; None when it has no such field."""
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _field(item: Any, name: str) -> str:
    value = _raw(item, name)
    return "" if value is None else str(value)


def _number(value: Any) -> str:
    """3800000.0 as `3,800,000` and 0.425 as `0.425`: figures are floats, readers want numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def summarise(rows: Iterable[ArchiveRow]) -> ArchiveSummary:
    summary = ArchiveSummary()
    for row in rows:
        summary.add(row)
    return summary


def bar_chart(items: list[tuple[str, str, int]], *, title: str, colours: Optional[dict[str, str]] = None,
              colour: str = PROVINCE_BAR, total: Optional[int] = None, width: int = 760) -> str:
    """A horizontal bar chart as inline SVG; items are (key, label, value), drawn in the given order.

    Each bar is a `<g class="bar">` with data-key and data-value, so tests and scripts can
    read the chart back without parsing geometry.
    """
    label_width, value_width, row_height, top = 230, 90, 24, 8
    plot_width = width - label_width - value_width
    height = top * 2 + row_height * max(len(items), 1)
    largest = max((value for _, _, value in items), default=0) or 1
    bars = []
    for row, (key, label, value) in enumerate(items):
        y = top + row * row_height
        bar_width = max(value / largest * plot_width, 1 if value else 0)
        fill = (colours or {}).get(key, colour)
        shown = f"{value:,}" + (f" ({value / total:.0%})" if total else "")
        bars.append(
            f'<g class="bar" data-key="{escape(key)}" data-value="{value}">'
            f"<title>{escape(label)}: {escape(shown)}</title>"
            f'<text x="{label_width - 8}" y="{y + row_height * 0.68:.1f}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_width:.1f}" height="{row_height - 6}" rx="3" fill="{fill}"/>'
            f'<text x="{label_width + bar_width + 6:.1f}" y="{y + row_height * 0.68:.1f}">{escape(shown)}</text></g>'
        )
    if not items:
        bars.append(f'<text x="{label_width}" y="{top + row_height * 0.68}" fill="#57606a">nothing to show</text>')
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="DejaVu Sans, Noto Sans, Arial, sans-serif" font-size="13" fill="#1f2328">'
        f"<title>{escape(title)}</title>{''.join(bars)}</svg>"
    )


REPORT_CSS = """
.cards { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 1rem 0; }
.card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.5rem 1rem; min-width: 8rem; }
.card b { display: block; font-size: 1.5rem; }
.card.bad b { color: #d64545; }
section.panel h2 { margin-top: 0.6rem; }
section.panel { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.4rem 1.2rem 1rem;
                margin: 1rem 0; }
svg.chart { max-width: 100%; height: auto; }
td.sentence { max-width: 34rem; }
"""


def _card(label: str, value: int, *, bad: bool = False) -> str:
    css = "card bad" if bad and value else "card"
    return f'<div class="{css}" data-card="{escape(label)}"><b>{value:,}</b>{escape(label)}</div>'


def _table(headers: list[str], rows: list[list[str]], numeric: Collection[int] = (), css: str = "") -> str:
    """An HTML table; cells are escaped here, so callers pass plain text."""
    head = "".join(f'<th class="number">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
                   for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f'<td class="number">{escape(cell)}</td>' if i in numeric else f"<td>{escape(cell)}</td>"
                         for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<table class="{css}"><tr>{head}</tr>{body}</table>'


def _more(shown: int, total: int) -> str:
    return f'<p class="note">{total - shown:,} more not shown.</p>' if total > shown else ""


def _provinces_panel(summary: ArchiveSummary) -> str:
    by_unit = [(code, summary.province_names[code], count) for code, count in
               sorted(summary.province_mentions.items(), key=lambda item: (-item[1], summary.province_names[item[0]]))]
    merged = [(code, summary.merged_names[code], count) for code, count in
              sorted(summary.merged_mentions.items(), key=lambda item: (-item[1], summary.merged_names[item[0]]))]
    rows = [[summary.province_names[code], code, str(count), str(summary.province_documents[code])]
            for code, _, count in by_unit]
    unlinked = (f'<p class="note">{summary.unlinked_provinces:,} PROVINCE mention(s) not linked to a unit '
                "are not counted.</p>" if summary.unlinked_provinces else "")
    return (
        '<section class="panel" id="provinces"><h2>Mentions per province</h2>'
        '<h3>By province-level unit (63 units, before July 2025)</h3>'
        f"{bar_chart(by_unit, title='Mentions per province', colour=PROVINCE_BAR)}{unlinked}"
        '<h3>By unit after the July 2025 merger (34 units)</h3>'
        f"{bar_chart(merged, title='Mentions per unit after the merger', colour=MERGED_BAR)}"
        "<details><summary>Table</summary>"
        f"{_table(['province', 'code', 'mentions', 'documents'], rows, {2, 3}, 'provinces')}</details></section>"
    )


def _labels_panel(summary: ArchiveSummary) -> str:
    order = [*SENTENCE_LABELS, *sorted(set(summary.labels) - set(SENTENCE_LABELS))]
    items = [(label, label, summary.labels.get(label, 0)) for label in order]
    colours = {label: sentence_colours(None if label == "unlabelled" else label)[0] for label in order}
    return (
        '<section class="panel" id="labels"><h2>Sentence functions</h2>'
        f"{bar_chart(items, title='Sentences per label', colours=colours, total=summary.sentences)}</section>"
    )


def _people_panel(summary: ArchiveSummary, top: int) -> str:
    ranked = sorted(summary.people.items(), key=lambda item: (-item[1].mentions, -item[1].documents, item[0]))
    people_rows = [[name, str(t.mentions), str(t.documents), "; ".join(title for title, _ in t.titles.most_common(3))]
                   for name, t in ranked[:top]]
    organisations = sorted(summary.organisations.items(), key=lambda item: (-item[1], item[0]))
    org_rows = [[name, str(count), str(summary.organisation_documents[name])] for name, count in organisations[:top]]
    return (
        '<section class="panel" id="people"><h2>Top people</h2>'
        f"{_table(['name', 'mentions', 'documents', 'titles'], people_rows, {1, 2}, 'people')}"
        f"{_more(len(people_rows), len(ranked))}"
        '</section><section class="panel" id="organisations"><h2>Top organisations</h2>'
        f"{_table(['organisation', 'mentions', 'documents'], org_rows, {1, 2}, 'organisations')}"
        f"{_more(len(org_rows), len(organisations))}</section>"
    )


def _figures_panel(summary: ArchiveSummary) -> str:
    if not summary.figures_supported:
        note = "This archive's sentences carry no figures (Sentence.figures is not in the version that wrote or reads it)."
        return f'<section class="panel" id="figures"><h2>Figures</h2><p class="note">{escape(note)}</p></section>'
    rows = [[f.document, f.text, f.value, f.unit, f.kind, f.indicator, f.sentence_text]
            for f in summary.figures[:FIGURES_SHOWN]]
    table = (_table(["document", "figure", "value", "unit", "kind", "indicator", "sentence"], rows, {2}, "figures")
             if rows else '<p class="note">No figures found.</p>')
    return (f'<section class="panel" id="figures"><h2>Figures ({len(summary.figures):,})</h2>{table}'
            f"{_more(len(rows), len(summary.figures))}</section>")


def _errors_panel(summary: ArchiveSummary) -> str:
    if not summary.errors and not summary.unreadable:
        return ""
    errors = Counter(row.error for row in summary.errors)
    parts = ['<section class="panel" id="errors"><h2>Rows not parsed</h2>']
    if summary.errors:
        kinds = [[name, str(count)] for name, count in errors.most_common()]
        parts.append(_table(["error", "rows"], kinds, {1}, "error-kinds"))
        rows = [[row.id or "", row.error, row.message] for row in summary.errors[:ERRORS_SHOWN]]
        parts.append(_table(["id", "error", "message"], rows, css="errors") + _more(len(rows), len(summary.errors)))
    if summary.unreadable:
        rows = [[str(u.line), u.message] for u in summary.unreadable[:ERRORS_SHOWN]]
        parts.append("<h3>Unreadable lines</h3>" + _table(["line", "problem"], rows, {0}, "unreadable")
                     + _more(len(rows), len(summary.unreadable)))
    return "".join(parts) + "</section>"


def report_html(summary: ArchiveSummary, *, title: str = "cds_nlp archive report", top: int = PEOPLE_SHOWN) -> str:
    """The whole report page for a summary."""
    dates = sorted(summary.published)
    period = f"published {dates[0]} to {dates[-1]}" if dates else "no publication dates"
    cards = "".join([
        _card("documents", summary.documents), _card("error rows", len(summary.errors), bad=True),
        _card("unreadable lines", len(summary.unreadable), bad=True), _card("sentences", summary.sentences),
        _card("entities", summary.entities), _card("provinces mentioned", len(summary.province_mentions)),
    ])
    body = (
        f'<h1>{escape(title)}</h1><p class="meta">{escape(period)}</p><div class="cards">{cards}</div>'
        f"{_provinces_panel(summary)}{_labels_panel(summary)}{_people_panel(summary, top)}"
        f"{_figures_panel(summary)}{_errors_panel(summary)}"
    )
    return page(title, body, REPORT_CSS)
