"""Time a contribution about an organisation before and after it holds many statements of its
own on properties no shape reads (the largest contribution allowed is 10,000 statements).

    .venv/bin/python -m bench.measure_crowded [--statements N] [--writes N]

The contribution service is called directly (the write lock, authorisation, validation, the
commit and its history), on a seeded embedded store in a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from commons_graph.config import Settings
from commons_graph.contributions.service import ContributionService
from commons_graph.members.accounts import Accounts, Member
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise

OUISHARE = ox.NamedNode("https://w3id.org/commons-graph/id/organisation/ouishare")
EX = "https://example.org/"


def _p50_ms(service: ContributionService, member: Member, writes: int, start: int) -> float:
    """The median time of `writes` one-statement contributions about Ouishare, in ms."""
    took = []
    for i in range(start, start + writes):
        triple = ox.Triple(OUISHARE, ox.NamedNode(EX + "note"), ox.Literal(str(i)))
        began = time.perf_counter()
        service.submit(member, [triple])
        took.append(time.perf_counter() - began)
    return 1000 * statistics.median(took)


def main(argv: list[str] | None = None) -> None:
    """Print the p50 of a small contribution before and after the organisation grows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(store=f"{folder}/store", accounts=f"{folder}/accounts.sqlite")
        accounts = Accounts.from_settings(settings)
        member = accounts.add_member("Ana", OUISHARE.value)[0]
        with EmbeddedStore(Path(folder) / "store") as store:
            initialise(store)
            service = ContributionService(store, accounts)
            before = _p50_ms(service, member, args.writes, 0)
            many = [
                ox.Triple(OUISHARE, ox.NamedNode(f"{EX}n{i}"), ox.Literal(str(i)))
                for i in range(args.statements)
            ]
            service.submit(member, many)
            after = _p50_ms(service, member, args.writes, args.writes)
    print(
        f"contribution p50: {before:.1f} ms; after the organisation holds "
        f"{args.statements:,} more statements: {after:.1f} ms ({after / before:.2f}x)"
    )


if __name__ == "__main__":
    main()
