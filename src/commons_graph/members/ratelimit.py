"""Rate limits on sign-in and writes, per member and per client address.

Counting is done by `limits` (the library behind Flask-Limiter and SlowAPI), with a moving
window kept in memory: exact, with no burst at a window's edge, and nothing to run beside the
service. Limits are written as `limits` reads them, e.g. "10/minute;100/day": every part applies.
The counts live in the process: a service run as several processes multiplies them (say so in
the deployment docs) and a restart forgets them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from commons_graph.errors import BadInputError


def parse_rule(name: str, text: str) -> tuple[RateLimitItem, ...]:
    """The limits a setting states; a clear error naming the setting when it does not parse."""
    if not text.strip():
        return ()  # empty: no limit of this kind
    try:
        return tuple(parse_many(text))
    except ValueError:
        raise BadInputError("member.error.bad_rate", setting=name, text=text) from None


@dataclass(frozen=True)
class Rule:
    """One kind of limit: its name (also the counters' namespace) and its limits."""

    name: str
    items: tuple[RateLimitItem, ...]


class RateLimits:
    """Counts requests by (rule, key) and says how long to wait once a limit is reached."""

    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, rule: Rule, key: str) -> int | None:
        """Count one request; None when allowed, else the seconds to wait (Retry-After)."""
        for item in rule.items:
            if not self._limiter.hit(item, rule.name, key):
                reset = self._limiter.get_window_stats(item, rule.name, key).reset_time
                return max(1, math.ceil(reset - time.time()))
        return None
