"""spaCy components of the cds_nlp pipeline, registered on import."""

from .provinces import ProvinceRuler
from .sentence_labels import SentenceLabeler

__all__ = ["ProvinceRuler", "SentenceLabeler"]
