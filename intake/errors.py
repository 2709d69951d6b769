"""Errors that stop `intake` from running at all.

A requirement the dossier does not meet is a `Finding`, never an exception. An `IntakeError`
means there is nothing to judge: the path does not exist, is not a dossier, or the
configuration cannot be used. Each carries the process exit code and tells the user what to do.

    IntakeError                      exit 2
    ├── InputError                   the input cannot be read at all
    │   ├── DossierNotFound          no such path
    │   └── NotADossier              neither a folder nor a zip archive
    │       ├── DamagedArchive       a zip that is truncated or damaged (no readable central directory)
    │       ├── EmptyArchive         a zip that holds no file
    │       └── SeveralDossiers      a folder or zip that holds several dossiers (use `intake batch`)
    ├── ConfigurationError           options or trust settings that cannot be used
    └── OutputError                  the report cannot be written where asked
"""

from __future__ import annotations

EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_REVIEW = 3


class IntakeError(Exception):
    """Base of every error that stops a run; `exit_code` is what the CLI returns."""

    exit_code = EXIT_USAGE


class InputError(IntakeError):
    """The input cannot be read at all."""


class DossierNotFound(InputError):
    """The dossier path does not exist."""


class NotADossier(InputError):
    """The path is neither a folder nor a zip archive."""


class DamagedArchive(NotADossier):
    """The path is a zip archive that is truncated or damaged: its table of contents cannot be read."""


class EmptyArchive(NotADossier):
    """The path is a zip archive that holds no file."""


class SeveralDossiers(NotADossier):
    """The folder or archive holds several dossiers (subfolders each with an application), not one."""


class ConfigurationError(IntakeError):
    """An option, trust store or configuration file cannot be used."""


class OutputError(IntakeError):
    """The report cannot be written where the user asked (or would overwrite the user's input)."""
