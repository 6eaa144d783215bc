"""dragoman's exceptions; every message says what went wrong and what to do next.

    DragomanError
     ├── InputError            an article could not be read or is not analysable
     │    ├── EmptyInputError
     │    ├── BinaryInputError
     │    ├── TooLargeError
     │    └── UnsupportedLanguageError
     ├── ConfigError           a setting or a user data file is wrong
     ├── KnowledgeBaseError    the knowledge base failed validation
     ├── ModelNotFoundError    the spaCy model named in the settings is not installed
     └── StoreError            the database could not be opened, migrated or written
"""

from __future__ import annotations


class DragomanError(Exception):
    """Base class of every error dragoman raises on purpose."""


class InputError(DragomanError):
    pass


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class TooLargeError(InputError):
    pass


class UnsupportedLanguageError(InputError):
    def __init__(self, language: str, name: str) -> None:
        self.language = language
        super().__init__(
            f"{name} text is not supported yet (detected language: {language}); "
            "dragoman analyses English articles only"
        )


class ConfigError(DragomanError):
    pass


class KnowledgeBaseError(DragomanError):
    pass


class ModelNotFoundError(DragomanError):
    pass


class StoreError(DragomanError):
    pass


def batch_exit_status(analysed: int, failed: int) -> int:
    """The exit status of every command that takes many articles (analyze, ingest, batch, load):
    0 when nothing failed, 1 when items failed and none was analysed, 2 when some of them failed.
    Articles found already stored or written count as analysed."""
    if not failed:
        return 0
    return 2 if analysed else 1
