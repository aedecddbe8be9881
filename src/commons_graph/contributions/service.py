"""The write path: authorise -> validate -> commit (named graph + PROV) -> record history."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from commons_graph.contributions import journal
from commons_graph.contributions.authorise import (
    CODESOCIAL_OF,
    Refusal,
    authorise,
    authorise_publication,
    judging_organisations,
    may_act_on,
)
from commons_graph.contributions.errors import (
    Conflict,
    ContributionError,
    ContributionNotFound,
)
from commons_graph.contributions.provenance import contribution_graph, diff, provenance_quads
from commons_graph.contributions.records import (
    ContributionRecord,
    Records,
    VersionRecord,
    to_ntriples,
)
from commons_graph.contributions.terms import mentioned, subjects
from commons_graph.errors import ErrorDetail
from commons_graph.members.accounts import Accounts, Member, now
from commons_graph.rdf import hashing
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.validation import ValidationReport, shapes_version
from commons_graph.validation.contribution import check


class InvalidContribution(ContributionError):
    """The contribution does not conform to the shapes (422); carries the report."""

    status = 422

    def __init__(self, report: ValidationReport) -> None:
        super().__init__("contribution.invalid")
        self.report = report

    def details(self, lang: str) -> list[ErrorDetail]:
        """One entry per violation (messages already in the report's language)."""
        return [
            ErrorDetail(v.message, focus=v.focus, path=v.path, value=v.value)
            for v in self.report.violations
            if v.severity == "Violation"
        ]


@dataclass(frozen=True)
class Receipt:
    """The answer to an accepted write."""

    status: int
    contribution_id: str
    version: int
    body: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False

    @property
    def location(self) -> str:
        """Where the contribution is served."""
        return f"/contributions/{self.contribution_id}"


def content_hash(triples: list[ox.Triple]) -> str:
    """The content's hash as cited, `sha256:<hex>` (rdf/hashing.py: RDFC-1.0, bounded time)."""
    try:
        return hashing.citation_hash(hashing.content_hash(triples))
    except hashing.CanonicalisationTooHard as error:
        raise ContributionError(
            "contribution.too_hard_to_hash", status=422, seconds=f"{error.seconds:g}"
        ) from None


def fresh_blank_nodes(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples with new blank nodes: a body's labels never name a node already stored."""
    renamed: dict[ox.BlankNode, ox.BlankNode] = {}

    def fresh(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return renamed.setdefault(term, ox.BlankNode())
        return term

    return [ox.Triple(fresh(t.subject), t.predicate, fresh(t.object)) for t in triples]


def request_hash(*parts: str | bytes) -> str:
    """A hash identifying a request's meaning, for Idempotency-Key checks."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


class ContributionService:
    """Accepts, replaces, withdraws and reverts contributions; one write at a time."""

    def __init__(self, store: Store, accounts: Accounts) -> None:
        self.store = store
        self.accounts = accounts
        self.records = Records(accounts.db)
        # Writes are serialised in this process: the ownership check and the commit must see
        # the same store, and Idempotency-Key lookups must not race with the first answer.
        self._lock = threading.Lock()

    def submit(
        self,
        member: Member,
        triples: list[ox.Triple],
        *,
        lang: str = "en",
        organisation: str | None = None,
        comment: str | None = None,
        idempotency_key: str | None = None,
        fingerprint: str | None = None,
    ) -> Receipt:
        """Store a new contribution in its own named graph, with its provenance."""
        organisations = self.accounts.organisations(member)
        chosen = self._organisation(organisations, triples, organisation)
        with self._lock:
            if idempotency_key:
                earlier = self._replay(member, idempotency_key, fingerprint or "")
                if earlier is not None:
                    # A replay is judged like a new write of the same statements, now.
                    self._judge(triples, organisations, lang, earlier.contribution_id)
                    return earlier
            self._judge(triples, organisations, lang)
            contribution_id = secrets.token_hex(8)
            record = ContributionRecord(contribution_id, chosen, member.id, now(), 1, False)
            version = self._version(record, 1, "create", member, triples, comment)
            receipt = Receipt(201, contribution_id, 1, self._body(201, version, triples))
            changes = ChangeSet(insert=self._content_quads(contribution_id, triples))
            self._commit(
                record, version, triples, changes, member, receipt, idempotency_key, fingerprint
            )
            return receipt

    def replace(
        self,
        member: Member,
        contribution_id: str,
        triples: list[ox.Triple],
        *,
        lang: str = "en",
        comment: str | None = None,
    ) -> Receipt:
        """Replace a contribution's statements by new ones (its owner only)."""
        with self._lock:
            record = self._owned(member, contribution_id, admin_may=False)
            organisations = self.accounts.organisations(member)
            self._judge(triples, organisations, lang, contribution_id)
            number = record.current_version + 1
            updated = ContributionRecord(
                record.id, record.organisation, record.member_id, record.created, number, False
            )
            version = self._version(updated, number, "replace", member, triples, comment)
            graph = contribution_graph(contribution_id)
            changes = ChangeSet(
                drop_graphs=[graph], insert=self._content_quads(contribution_id, triples)
            )
            receipt = Receipt(200, contribution_id, number, self._body(200, version, triples))
            self._commit(updated, version, triples, changes, member, receipt)
            return receipt

    def retract(
        self, member: Member, contribution_id: str, *, comment: str | None = None
    ) -> Receipt:
        """Withdraw a contribution: its statements leave the public union; history stays."""
        with self._lock:
            record = self._owned(member, contribution_id, admin_may=True)
            if record.retracted:
                graph = contribution_graph(contribution_id).value
                raise Conflict("contribution.already_retracted", status=409, focus=graph)
            return self._restore(record, member, [], "retract", comment, None)

    def revert(
        self,
        member: Member,
        contribution_id: str,
        *,
        to_version: int | None = None,
        comment: str | None = None,
        lang: str = "en",
    ) -> Receipt:
        """Undo the latest change (or go back to `to_version`), recorded as a new version.

        The restored statements are judged like a new write of them, now: authorisation and
        SHACL against the store as it is (another organisation may have taken a resource over).
        """
        with self._lock:
            record = self._owned(member, contribution_id, admin_may=True)
            versions = {v.number: v for v in self.records.versions(contribution_id)}
            target = record.current_version - 1 if to_version is None else to_version
            if target != 0 and target not in versions or target >= record.current_version:
                graph = contribution_graph(contribution_id).value
                raise ContributionError("contribution.bad_version", focus=graph, version=target)
            triples = versions[target].triples() if target else []
            if triples:
                judges = judging_organisations(
                    record.organisation, self.accounts.organisations(member)
                )
                self._judge(triples, judges, lang, contribution_id)
            return self._restore(record, member, triples, "revert", comment, target)

    def _restore(
        self,
        record: ContributionRecord,
        member: Member,
        triples: list[ox.Triple],
        action: str,
        comment: str | None,
        reverts: int | None,
    ) -> Receipt:
        number = record.current_version + 1
        updated = ContributionRecord(
            record.id, record.organisation, record.member_id, record.created, number, not triples
        )
        version = self._version(updated, number, action, member, triples, comment, reverts)
        changes = ChangeSet(
            drop_graphs=[contribution_graph(record.id)],
            insert=self._content_quads(record.id, triples),
        )
        receipt = Receipt(200, record.id, number, self._body(200, version, triples))
        self._commit(updated, version, triples, changes, member, receipt)
        return receipt

    def _organisation(
        self, organisations: list[str], triples: list[ox.Triple], wanted: str | None
    ) -> str:
        """The organisation a contribution is made for."""
        if wanted:
            if wanted not in organisations:
                raise Refusal([(wanted, "contribution.not_your_organisation")], organisation=wanted)
            return wanted
        # The organisation the statements are about (or whose #CodeSocial they write), when
        # there is one: ownership derived from this contribution follows it.
        about = {s.value for s in subjects(triples)} | {
            t.object.value
            for t in triples
            if t.predicate.value == CODESOCIAL_OF and isinstance(t.object, ox.NamedNode)
        }
        described = [o for o in organisations if o in about]
        return described[0] if len(described) == 1 else organisations[0]

    def may_change(self, member: Member, record: ContributionRecord) -> bool:
        """Whether `member` may change the contribution (withdraw or revert it): members of its
        organisation, and administrators."""
        organisations = self.accounts.organisations(member)
        return may_act_on(
            record.organisation, organisations, is_admin=member.is_admin, admin_may=True
        )

    def authorise_publication(self, member: Member, root: ox.NamedNode) -> str:
        """The organisation `member` may publish the #CodeSocial `root` for; Forbidden unless
        they speak for its subject or are an administrator."""
        return authorise_publication(
            self.store,
            root,
            self.accounts.organisations(member),
            self.records.organisations_of,
            is_admin=member.is_admin,
        )

    def _owned(
        self, member: Member, contribution_id: str, *, admin_may: bool
    ) -> ContributionRecord:
        record = self.records.contribution(contribution_id)
        if record is None:
            graph = contribution_graph(contribution_id).value
            raise ContributionNotFound("contribution.not_found", focus=graph, id=contribution_id)
        organisations = self.accounts.organisations(member)
        if may_act_on(
            record.organisation, organisations, is_admin=member.is_admin, admin_may=admin_may
        ):
            return record
        graph = contribution_graph(contribution_id).value
        raise Refusal([(graph, "contribution.not_owner")], id=contribution_id)

    def _judge(
        self,
        triples: list[ox.Triple],
        organisations: list[str],
        lang: str,
        replacing: str | None = None,
    ) -> ValidationReport:
        """Authorise, then validate, `triples` as a write now; `replacing` names the
        contribution whose current statements the write drops (not counted)."""
        graph = contribution_graph(replacing) if replacing else None
        own = graph.value if graph else None
        authorise(self.store, triples, organisations, self.records.organisations_of, own_graph=own)
        report = check(self.store, triples, lang, replacing=graph)
        if not report.conforms:
            raise InvalidContribution(report)
        return report

    def _replay(self, member: Member, key: str, fingerprint: str) -> Receipt | None:
        with self.records.db.connect() as db:
            earlier = Records.idempotent_answer(db, member.id, key)
        if earlier is None:
            return None
        stored_hash, status, _location, body = earlier
        if stored_hash != fingerprint:
            raise Conflict("contribution.idempotency_mismatch", status=422, idempotency_key=key)
        data = json.loads(body)
        return Receipt(status, data["id"], data["version"], data, replayed=True)

    def _version(
        self,
        record: ContributionRecord,
        number: int,
        action: str,
        member: Member,
        triples: list[ox.Triple],
        comment: str | None,
        reverts: int | None = None,
    ) -> VersionRecord:
        return VersionRecord(
            contribution_id=record.id,
            number=number,
            action=action,
            member_id=member.id,
            member_name=member.name,
            member_public_id=member.public_id,
            organisation=record.organisation,
            time=now(),
            content=to_ntriples(triples),
            content_hash=content_hash(triples),
            shapes_version=shapes_version(),
            comment=(comment or "").strip() or None,
            reverts=reverts,
        )

    @staticmethod
    def _content_quads(contribution_id: str, triples: list[ox.Triple]) -> list[ox.Quad]:
        # Fresh blank nodes in the store whatever the write path (SPARQL INSERT DATA makes new
        # ones, a bulk insert would keep the body's labels); the history keeps the body's.
        graph = contribution_graph(contribution_id)
        return [
            ox.Quad(t.subject, t.predicate, t.object, graph) for t in fresh_blank_nodes(triples)
        ]

    @staticmethod
    def _body(status: int, version: VersionRecord, triples: list[ox.Triple]) -> dict[str, Any]:
        return {
            "ok": True,
            "status": status,
            "id": version.contribution_id,
            "version": version.number,
            "action": version.action,
            "graph": contribution_graph(version.contribution_id).value,
            "organisation": version.organisation,
            "triples": len(triples),
            "content_hash": version.content_hash,
            "shapes_version": version.shapes_version,
            "time": version.time,
            "location": f"/contributions/{version.contribution_id}",
        }

    def _commit(
        self,
        record: ContributionRecord,
        version: VersionRecord,
        triples: list[ox.Triple],
        changes: ChangeSet,
        member: Member,
        receipt: Receipt,
        idempotency_key: str | None = None,
        fingerprint: str | None = None,
    ) -> None:
        """Journal the change, commit the store, then record history (journal.py says why
        an acknowledged write is in both, whatever moment the process dies at)."""
        previous = self.records.versions(record.id)
        before = previous[-1].triples() if previous else []
        added, removed = diff(before, triples)
        changes.insert.extend(provenance_quads(version, added, removed))
        resources = {r.value for r in mentioned([*before, *triples])}
        resources.add(record.organisation)
        kept = None
        if idempotency_key:
            kept = journal.Idempotency(
                member.id,
                idempotency_key,
                fingerprint or "",
                receipt.status,
                receipt.location,
                json.dumps(receipt.body),
            )
        intent = journal.Intent(record, version, sorted(resources), kept)
        db = self.records.db
        intent_id = journal.begin(db, intent)
        try:
            with db.connect() as connection:
                journal.record(connection, intent, intent_id)
                self.store.commit(changes)
        except BaseException:
            # The store may have committed before the failure (an answer lost on the way
            # back): then the change is recorded and acknowledged; else its intent is settled
            # at the next start (journal.py).
            if journal.record_if_stored(db, self.store, intent_id, intent):
                return
            raise
