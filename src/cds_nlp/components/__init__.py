"""spaCy components of the cds_nlp pipeline, registered on import."""

from .provinces import ProvinceRuler

__all__ = ["ProvinceRuler"]
