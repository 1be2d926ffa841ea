"""cds_nlp: Vietnamese news on digital transformation, parsed into typed, trustworthy data.

>>> import cds_nlp
>>> doc = cds_nlp.parse("Thủ tướng Phạm Minh Chính chủ trì hội nghị tại TP.HCM.")
>>> [(e.text, e.label) for e in doc.entities]
"""

from __future__ import annotations

from functools import lru_cache

from .document import (
    ENTITY_LABELS,
    SENTENCE_LABELS,
    Directive,
    Document,
    Entity,
    Person,
    ProvinceLink,
    ProvinceMentions,
    Sentence,
    Token,
)
from .dates import DateMention
from .figures import Change, Figure
from .errors import CdsNlpError, InputTypeError, ModelIntegrityError, ModelNotFoundError, TextTooLongError
from .pipeline import Pipeline, load
from .version import __version__

__all__ = [
    "ENTITY_LABELS", "SENTENCE_LABELS", "CdsNlpError", "Change", "DateMention", "Directive", "Figure", "Document", "Entity", "InputTypeError",
    "ModelIntegrityError", "ModelNotFoundError", "Person", "Pipeline", "ProvinceLink", "ProvinceMentions",
    "Sentence", "TextTooLongError", "Token", "__version__", "load", "parse", "train",
]


@lru_cache(maxsize=1)
def _default_pipeline() -> Pipeline:
    return load()


def parse(text: str, *, id: str | None = None, source: str | None = None, published: str | None = None) -> Document:
    """Parse one article with the default shipped model (loaded once, then reused)."""
    if not isinstance(text, str):
        raise InputTypeError(text)
    return _default_pipeline().parse(text, id=id, source=source, published=published)


def train(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - forwards to cds_nlp.training.train.train
    """Fine-tune a model on your labelled data; see `cds_nlp.training.train.train` for the arguments.

    Imported on first call so that `import cds_nlp` does not load `datasets` and the training code.
    """
    from .training.train import train as _train

    return _train(*args, **kwargs)
