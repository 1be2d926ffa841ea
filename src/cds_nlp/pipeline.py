"""`Pipeline`: a loaded model folder with `parse()` and `parse_many()`."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Union

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories a saved pipeline names)
from .aggregate import province_mentions
from .people import people
from .convert import to_document
from .directives import attach_directives
from .document import Document
from .errors import InputTypeError, ModelNotFoundError
from .language import blank
from .model_store import PIPELINE_DIR, default_model_path, read_meta, verify
from .tokenizer import DEFAULT_MAX_CHARS
from .version import __version__

TextInput = Union[str, dict[str, Any]]


class Pipeline:
    """A spaCy `Language` plus the model's metadata; turns text into `Document`s."""

    def __init__(self, nlp: Language, meta: dict[str, Any] | None = None, path: Path | None = None) -> None:
        self.nlp = nlp
        self.meta = meta or {"name": "blank", "version": __version__}
        self.path = path

    @property
    def model_name(self) -> str:
        return f"{self.meta.get('name', 'unknown')}-{self.meta.get('version', '0')}"

    def _document(self, doc: spacy.tokens.Doc, context: dict[str, Any]) -> Document:
        document = to_document(
            doc,
            id=context.get("id"),
            source=context.get("source"),
            published=context.get("published"),
            model=self.model_name,
            library_version=__version__,
        )
        document.provinces = province_mentions(document)
        document.people = people(document)
        attach_directives(document)
        return document

    def parse(self, text: str, *, id: str | None = None, source: str | None = None,
              published: str | None = None) -> Document:
        """Parse one article."""
        if not isinstance(text, str):
            raise InputTypeError(text)
        return self._document(self.nlp(text), {"id": id, "source": source, "published": published})

    def parse_many(self, texts: Iterable[TextInput], *, batch_size: int = 32, n_process: int = 1) -> Iterator[Document]:
        """Stream Documents in input order. Items are texts or dicts with `text` and optional `id`, `source`, `published`."""

        def pairs() -> Iterator[tuple[str, dict[str, Any]]]:
            for item in texts:
                if isinstance(item, dict):
                    text = item.get("text")
                    context = {k: item.get(k) for k in ("id", "source", "published")}
                else:
                    text, context = item, {}
                if not isinstance(text, str):
                    raise InputTypeError(text)
                yield text, context

        for doc, context in self.nlp.pipe(pairs(), as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield self._document(doc, context)


def load(model: str | Path | None = None, *, max_chars: int = DEFAULT_MAX_CHARS, verify_files: bool = True) -> Pipeline:
    """Load a model folder (default: the newest shipped model). Never trains, never downloads."""
    path = Path(model) if model is not None else default_model_path()
    if path is None:
        warnings.warn(
            "no trained cds_nlp model found; sentences get no label and entities come from the gazetteer only. "
            "Run `make models` to build one.",
            stacklevel=2,
        )
        nlp = blank(max_chars)
        nlp.add_pipe("cds_provinces")
        return Pipeline(nlp)
    if not path.is_dir():
        raise ModelNotFoundError(str(path))
    meta = read_meta(path)
    if verify_files:
        verify(path, meta)
    nlp = spacy.load(path / PIPELINE_DIR, config={"nlp": {"tokenizer": {"max_chars": max_chars}}})
    nlp.max_length = max(nlp.max_length, max_chars)
    return Pipeline(nlp, meta, path)
