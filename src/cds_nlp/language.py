"""The blank spaCy `Language` every cds_nlp pipeline starts from."""

from __future__ import annotations

import spacy
from spacy.language import Language

from . import tokenizer as _tokenizer  # noqa: F401  (registers the tokenizer)
from .tokenizer import DEFAULT_MAX_CHARS


def blank(max_chars: int = DEFAULT_MAX_CHARS) -> Language:
    """Vietnamese `Language` with the underthesea tokenizer and no trained components."""
    nlp = spacy.blank(
        "vi",
        config={"nlp": {"tokenizer": {"@tokenizers": "cds_nlp.UndertheseaTokenizer.v1", "max_chars": max_chars}}},
    )
    nlp.max_length = max(nlp.max_length, max_chars)
    return nlp
