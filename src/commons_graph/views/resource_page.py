"""What a resource page shows: title, kinds, prose, facts and relations grouped by meaning."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from commons_graph.store.base import Store
from commons_graph.views.curies import curie
from commons_graph.views.datasets import DatasetInfo
from commons_graph.views.groups import (
    DESCRIPTION_PROPERTIES,
    GROUPS,
    HIDDEN,
    OTHER_INCOMING,
    OTHER_OUTGOING,
)
from commons_graph.views.labels import LABEL_PROPERTIES, pick, short_name, sort_key
from commons_graph.views.resource import Description, Statement, describe


@dataclass(frozen=True)
class Link:
    """A linked resource with its label in the page language (the IRI as last resort)."""

    iri: str
    label: str


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
    """Arrange a description for people: prose and facts first, then relation groups."""
    labels = description.labels
    iri = description.iri

    def link(term: NamedNode) -> Link:
        return Link(term.value, labels.get(term.value) or curie(term.value))

    prose_property = next((p for p in DESCRIPTION_PROPERTIES if description.literals(p)), None)
    prose = pick(description.literals(prose_property), lang) if prose_property else None
    skip_literals = {*LABEL_PROPERTIES, *([prose_property] if prose_property else [])}

    nested = _nested_summaries(description.nested)
    groups: dict[tuple[str, bool], Group] = {}
    literal_values: dict[str, list[Literal]] = {}
    for statement in (*description.outgoing, *description.incoming):
        predicate = statement.predicate.value
        direction = (predicate, statement.incoming)
        other = statement.other
        if direction in HIDDEN:
            continue
        if isinstance(other, Literal):
            if predicate not in skip_literals:
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
                group.label = labels.get(predicate)
            groups[group_id] = group
        if isinstance(other, NamedNode):
            item = link(other)
        elif isinstance(other, BlankNode):
            item = Link("", nested.get(other.value, ""))
        else:
            continue
        if item not in group.links:
            group.links.append(item)
    for group in groups.values():
        group.links.sort(key=lambda item: sort_key(item.label))
    facts = [
        Fact(curie(predicate), labels.get(predicate), _in_language(found, lang))
        for predicate, found in literal_values.items()
    ]
    facts.sort(key=lambda fact: fact.curie)
    return ResourcePage(
        iri=iri,
        label=labels.get(iri) or short_name(iri),
        types=sorted(
            (link(NamedNode(t)) for t in description.types()), key=lambda x: sort_key(x.label)
        ),
        description=prose,
        facts=facts,
        groups=sorted(groups.values(), key=lambda g: (g.order, g.label or g.curie or "")),
        datasets=description.datasets,
        truncated=description.truncated,
    )


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


def _nested_summaries(nested: list[Statement]) -> dict[str, str]:
    """A one-line text for each blank node (an address, a geometry): its literal values."""
    parts: dict[str, list[str]] = {}
    for statement in nested:
        if isinstance(statement.object, Literal) and isinstance(statement.subject, BlankNode):
            parts.setdefault(statement.subject.value, []).append(statement.object.value)
    return {node: ", ".join(values) for node, values in parts.items()}
