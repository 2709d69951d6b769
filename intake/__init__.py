"""intake: pre-screening of dossiers for the Kazakhstan register of special social services."""

__version__ = "0.1.0"
