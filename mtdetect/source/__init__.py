"""Which language was this English translated from? (`SourceGuesser`; `en` = written in English.)"""

from .model import SourceGuesser, default_model_dir

__all__ = ["SourceGuesser", "default_model_dir"]
