"""Every exception the library raises, with messages that say what to do.

Like spaCy's ``errors.py``: code raises by name, so messages live in one place.
"""

from __future__ import annotations


def _rebuild(cls: type[BaseException], args: tuple) -> BaseException:
    error = cls.__new__(cls)
    error.args = args
    return error


class CdsNlpError(Exception):
    """Base class: catch this to handle any error raised by cds_nlp."""

    def __reduce__(self) -> tuple:
        # Our constructors take the parts of a message, not the message, so the default pickling
        # (cls(*args)) fails when an error crosses a process boundary (pools, Dask): rebuild from
        # the finished message and the attributes instead.
        return (_rebuild, (type(self), self.args), self.__dict__)


class InputTypeError(CdsNlpError, TypeError):
    """The caller passed something that is not text."""

    def __init__(self, value: object) -> None:
        super().__init__(
            f"cds_nlp expected text as a str, got {type(value).__name__}. "
            "Decode bytes first (e.g. data.decode('utf-8')) or pass str(value)."
        )


class TextTooLongError(CdsNlpError, ValueError):
    """A text exceeds the pipeline's configured size limit."""

    def __init__(self, length: int, limit: int) -> None:
        self.length = length
        self.limit = limit
        super().__init__(
            f"text has {length:,} characters, more than the limit of {limit:,}. "
            "Split it into articles, or raise the limit with cds_nlp.load(max_chars=...)."
        )


class ModelNotFoundError(CdsNlpError, FileNotFoundError):
    """No model folder where one was expected."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"no cds_nlp model at {path!r}. Pass the path of a model folder "
            "(one with meta.json and a spaCy pipeline) or rebuild the shipped models with `make models`."
        )


class ModelIntegrityError(CdsNlpError, ValueError):
    """A model file is missing or its checksum does not match meta.json."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"model at {path!r} is corrupt or incomplete ({detail}). "
            "Reinstall cds_nlp or rebuild the model with `make models`."
        )


class DataValidationError(CdsNlpError, ValueError):
    """Labelled data breaks the annotation contract; names the file, line and problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the labelled data:\n  {shown}{more}")
