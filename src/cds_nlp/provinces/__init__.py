"""Viet Nam's province-level units (63 before July 2025, 34 after), for PROVINCE mentions.

Standard library only, so it loads without spaCy or pydantic. The table
(`provinces.json`) is derived from ../shared/data/provinces by
`scripts/build_provinces.py` and shipped with the package.

>>> from cds_nlp.provinces import Gazetteer
>>> g = Gazetteer.load()
>>> g.link("Thừa Thiên - Huế").merged_into_code
'46'
>>> [(m.start, m.end, m.province.name) for m in g.find("UBND tỉnh Bình Phước và TP.HCM")]
[(10, 20, 'Bình Phước'), (24, 30, 'Hồ Chí Minh')]
"""

from __future__ import annotations

from .gazetteer import CENTRAL_CITY, PROVINCE, Candidate, Gazetteer, Match, Province, Unit2025, find, link, load

__all__ = [
    "CENTRAL_CITY", "PROVINCE", "Candidate", "Gazetteer", "Match", "Province", "Unit2025", "find", "link", "load",
]
