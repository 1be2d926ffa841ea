"""Reading JSON Lines with line numbers, so every problem can name its line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Union


def read_jsonl(path: Union[str, Path]) -> Iterator[tuple[int, Union[dict[str, Any], str]]]:
    """(line number, record) for every non-blank line; a line that is not a JSON object comes back as its error message."""
    with Path(path).open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, f"invalid JSON ({error.msg} at column {error.colno})"
                continue
            yield number, record if isinstance(record, dict) else "line is not a JSON object"
