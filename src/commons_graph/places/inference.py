"""Nations the postcode cannot give, inferred from the data's own consistent values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

# A region's nation is trusted when at least this many of its addresses give one, all the same.
MIN_EVIDENCE = 3


def infer_nations(
    nations: Mapping[str, tuple[str, ...]], regions: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Nations for the members that have none (a cross-border postcode, or none) from their
    region: when every member of that region whose postcode gives a nation (at least
    MIN_EVIDENCE of them) gives the same one. Returns only the inferred members."""
    seen: dict[str, Counter[str]] = {}
    for member, found in regions.items():
        given = nations.get(member)
        if given and len(given) == 1:
            for region in found:
                seen.setdefault(region, Counter())[given[0]] += 1
    agreed = {
        region: next(iter(counts))
        for region, counts in seen.items()
        if len(counts) == 1 and sum(counts.values()) >= MIN_EVIDENCE
    }
    inferred: dict[str, tuple[str, ...]] = {}
    for member, found in regions.items():
        if nations.get(member):
            continue
        candidates = {agreed[region] for region in found if region in agreed}
        if len(candidates) == 1:
            inferred[member] = (candidates.pop(),)
    return inferred
