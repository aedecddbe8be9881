"""Logging a failure in a background thread without keeping its frames alive."""

from __future__ import annotations

import logging
import traceback


def log_failure(logger: logging.Logger, message: str, *args: object) -> None:
    """Log the exception being handled, with its traceback as text.

    `exc_info=True` would keep the traceback object, hence every frame's locals, in whatever
    holds the record (a handler's buffer, a test's log capture) and free them later in another
    thread: pyoxigraph's query solutions must be freed in the thread that made them, and raise
    when they are not.
    """
    logger.warning(message + "\n%s", *args, traceback.format_exc().rstrip())
