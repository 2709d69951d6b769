"""Personal data stays out of logs: IIN and BIN (12 digits) are masked in every record."""

from __future__ import annotations

import logging
import re

_ID = re.compile(r"(?<!\d)(\d{2})\d{8}(\d{2})(?!\d)")


def mask_ids(text: str) -> str:
    """IIN and BIN masked: the first two and last two digits kept (`99********30`)."""
    return _ID.sub(r"\1********\2", text)


class MaskIds(logging.Filter):
    """A logging filter that masks IIN/BIN in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_ids(record.getMessage())
        record.args = None
        return True


def install(*names: str) -> None:
    """Mask IIN/BIN on the handlers of the root logger and on the named loggers."""
    for logger in (logging.getLogger(), *(logging.getLogger(n) for n in names)):
        if not any(isinstance(f, MaskIds) for f in logger.filters):
            logger.addFilter(MaskIds())
        for handler in logger.handlers:
            if not any(isinstance(f, MaskIds) for f in handler.filters):
                handler.addFilter(MaskIds())
