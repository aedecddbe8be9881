"""What a resource page shows: title, kinds, prose, facts and relations grouped by meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.store.base import Store
from commons_graph.store.results import Term
from commons_graph.views.curies import curie
from commons_graph.views.datasets import DatasetInfo
from commons_graph.views.groups import (
    DESCRIPTION_PROPERTIES,
    GROUPS,
    HIDDEN,
    OTHER_INCOMING,
    OTHER_OUTGOING,
)
from commons_graph.views.labels import (
    LABEL_PROPERTIES,
    pick,
    readable_name,
    short_name,
    sort_key,
)
from commons_graph.views.resource import Description, Statement, describe, part_anchor


@dataclass(frozen=True)
class Link:
    """A linked resource with its label in the page language; `part` when the value is a part
    of the resource itself (an address, a geometry), shown inline rather than linked."""

    iri: str
    label: str
    part: Part | None = field(default=None, hash=False)
    # Whether the store describes it (has a label for it): an IRI minted elsewhere then links
    # to the site's own page of it (/resource?iri=…) rather than away.
    described: bool = False


@dataclass
class PartRow:
    """One property of a part: its label and values (texts, links or nested parts)."""

    curie: str
    label: str
    values: list[Link]


@dataclass
class Part:
    """A structured value held inline: `anchor` is its fragment when it is a hash IRI."""

    anchor: str | None
    kinds: list[Link]
    rows: list[PartRow]


@dataclass
class Group:
    """Relations of one meaning: `key` is a message key, else `curie`/`label` name it."""

    order: int
    incoming: bool
    key: str | None = None
    curie: str | None = None
    label: str | None = None
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Fact:
    """A property with literal values (dates, identifiers, texts)."""

    curie: str
    label: str | None
    values: tuple[str, ...]


@dataclass
class ResourcePage:
    """Everything the resource template needs."""

    iri: str
    label: str
    types: list[Link]
    description: str | None
    facts: list[Fact]
    groups: list[Group]
    datasets: list[DatasetInfo]
    truncated: bool


def resource_page(store: Store, iri: str, lang: str) -> ResourcePage | None:
    """The page model of `iri`, or None when the store knows nothing about it."""
    description = describe(store, iri, lang)
    if not description.exists:
        return None
    return page_from_description(description, lang)


def page_from_description(description: Description, lang: str) -> ResourcePage:
    """Arrange a description for people: prose and facts first, then relation groups.

    Its parts (blank nodes, `#fragment` IRIs of the resource) are shown inline in the row of
    the property that leads to them, not as links back to the same page.
    """
    labels = description.labels
    iri = description.iri

    def link(term: NamedNode) -> Link:
        return Link(term.value, labels.value(term.value), described=term.value in labels.texts)

    def kind(term: NamedNode) -> Link:
        return Link(term.value, labels(term.value), described=term.value in labels.texts)

    prose_property = next((p for p in DESCRIPTION_PROPERTIES if description.literals(p)), None)
    prose = pick(description.literals(prose_property), lang) if prose_property else None
    skip_literals = {*LABEL_PROPERTIES, *([prose_property] if prose_property else [])}

    parts = _PartBuilder(description, lang)
    groups: dict[tuple[str, bool], Group] = {}
    literal_values: dict[str, list[Literal]] = {}
    for statement in (*description.outgoing, *description.incoming):
        predicate = statement.predicate.value
        direction = (predicate, statement.incoming)
        other = statement.other
        if direction in HIDDEN:
            continue
        if isinstance(other, Literal):
            # An empty text says nothing (ESSGlobal's code lists hold hundreds of them).
            if predicate not in skip_literals and other.value.strip():
                literal_values.setdefault(predicate, []).append(other)
            continue
        spec = GROUPS.get(direction)
        group_id = (spec.key, False) if spec else direction
        group = groups.get(group_id)
        if group is None:
            if spec:
                group = Group(spec.order, statement.incoming, key=spec.key)
            else:
                order = OTHER_INCOMING if statement.incoming else OTHER_OUTGOING
                group = Group(order, statement.incoming, curie=curie(predicate))
                group.label = heading(labels(predicate))
            groups[group_id] = group
        item = parts.value(other) if not statement.incoming else None
        if item is None and isinstance(other, NamedNode):
            item = link(other)
        if item is not None and item not in group.links:
            group.links.append(item)
    for group in groups.values():
        group.links.sort(key=lambda item: sort_key(item.label))
    facts = [
        Fact(curie(predicate), heading(labels(predicate)), _in_language(found, lang))
        for predicate, found in literal_values.items()
    ]
    facts.sort(key=lambda fact: sort_key(fact.label or fact.curie))
    return ResourcePage(
        iri=iri,
        label=labels.get(iri) or short_name(iri),
        types=sorted(
            (kind(NamedNode(t)) for t in description.types()), key=lambda x: sort_key(x.label)
        ),
        description=prose,
        facts=facts,
        groups=sorted(groups.values(), key=lambda g: (g.order, g.label or g.curie or "")),
        datasets=description.datasets,
        truncated=description.truncated,
    )


class _PartBuilder:
    """Builds the inline blocks of a description's parts, each at most once per path."""

    def __init__(self, description: Description, lang: str) -> None:
        self.iri = description.iri
        self.labels = description.labels
        self.lang = lang
        self.statements: dict[str, list[Statement]] = {}
        for statement in description.nested:
            self.statements.setdefault(_key(statement.subject), []).append(statement)

    def value(self, term: Term, seen: frozenset[str] = frozenset()) -> Link | None:
        """`term` as an inline part when it is one with statements, else None."""
        key = _key(term)
        anchor = part_anchor(self.iri, term)
        # The fragment becomes the block's id (so `…#address` lands on it) unless the page
        # uses that id itself or it is no plain name.
        plain = bool(anchor and _PLAIN_ID.fullmatch(anchor) and not _PAGE_IDS.fullmatch(anchor))
        page_id = anchor if plain else None
        if not (isinstance(term, BlankNode) or anchor) or key in seen:
            return None
        found = self.statements.get(key)
        if not found:
            return None
        part = self._part(term, page_id, found, seen | {key})
        # Untitled parts are named by their kinds ("Postal address"), shown as badges.
        title = self._title(found) or ("" if part.kinds else readable_name(anchor or ""))
        return Link("", title, part)

    def _link(self, term: NamedNode) -> Link:
        described = term.value in self.labels.texts
        return Link(term.value, self.labels.value(term.value), described=described)

    def _title(self, found: list[Statement]) -> str | None:
        texts: dict[str, str] = {}
        for prop in LABEL_PROPERTIES:
            for s in found:
                if s.predicate.value == prop and isinstance(s.object, Literal) and s.object.value:
                    texts.setdefault(s.object.language or "", s.object.value)
            if texts:
                return pick(texts, self.lang)
        return None

    def _part(
        self, term: Term, anchor: str | None, found: list[Statement], seen: frozenset[str]
    ) -> Part:
        kinds: list[Link] = []
        rows: dict[str, PartRow] = {}
        literals: dict[str, list[Literal]] = {}
        for statement in found:
            predicate, obj = statement.predicate.value, statement.object
            if predicate == RDF_TYPE.value and isinstance(obj, NamedNode):
                described = obj.value in self.labels.texts
                kinds.append(Link(obj.value, self.labels(obj.value), described=described))
                continue
            if predicate in LABEL_PROPERTIES and isinstance(obj, Literal):
                continue
            name = heading(self.labels(predicate))
            row = rows.setdefault(predicate, PartRow(curie(predicate), name, []))
            if isinstance(obj, Literal):
                if obj.value.strip():
                    literals.setdefault(predicate, []).append(obj)
                continue
            item = self.value(obj, seen)
            if item is None and isinstance(obj, NamedNode):
                item = self._link(obj)
            if item is not None and item not in row.values:
                row.values.append(item)
        for predicate, found_literals in literals.items():
            rows[predicate].values.extend(
                Link("", text) for text in _in_language(found_literals, self.lang)
            )
        ordered = sorted((r for r in rows.values() if r.values), key=lambda r: sort_key(r.label))
        return Part(anchor, sorted(kinds, key=lambda k: sort_key(k.label)), ordered)


_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,80}")
_PAGE_IDS = re.compile(r"(content|facts|inbound|sources|toc|group-\d+|inbound-\d+(-h)?)")


def heading(text: str) -> str:
    """A label as a row or section heading: its first letter upper-case ("has geometry" ->
    "Has geometry"), the rest as the vocabulary wrote it."""
    return text[:1].upper() + text[1:]


def _key(term: Term) -> str:
    """A key for a node of the description: blank nodes and IRIs never collide."""
    return f"_:{term.value}" if isinstance(term, BlankNode) else str(getattr(term, "value", term))


def _in_language(found: list[Literal], lang: str) -> tuple[str, ...]:
    """The values in the page language when there are any, else all of them, deduplicated."""
    tagged = [v for v in found if v.language]
    if tagged:
        texts: dict[str, list[str]] = {}
        for value in tagged:
            texts.setdefault(value.language or "", []).append(value.value)
        chosen = pick({tag: "\n".join(v) for tag, v in texts.items()}, lang) or ""
        untagged = [v.value for v in found if not v.language]
        return tuple(dict.fromkeys([*chosen.split("\n"), *untagged]))
    return tuple(dict.fromkeys(v.value for v in found))
