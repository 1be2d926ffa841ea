"""Domain extras on a converted Document: figures, dates, deadlines and canonical ORG names.

Rules on the text (see figures.py, dates.py, abbreviations.py); they run after
the models so a deadline can attach to a sentence the classifier called `directive`.
"""

from __future__ import annotations

from .abbreviations import expand
from .dates import extract_dates, publication_date
from .document import Document
from .figures import extract_figures


def enrich(document: Document) -> None:
    text = document.text
    if document.published is None:
        document.published = publication_date(text)
    for sentence in document.sentences:
        sentence.figures = extract_figures(text, sentence.start, sentence.end)
        sentence.dates = extract_dates(text, sentence.start, sentence.end, reference=document.published)
        if sentence.directive is not None:
            sentence.directive.deadline = next((d for d in sentence.dates if d.kind == "deadline"), None)
    for entity in document.entities:
        if entity.label == "ORG":
            entity.canonical = expand(entity.text)

