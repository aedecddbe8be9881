"""A seeded generator of realistic commons networks, written as N-Quads (and N-Triples) lines.

The network uses the project's model (docs/model.md): organisations of every kind, persons,
projects, events, places, commons, the shipped value/theme/topic/commons-kind/plane concepts,
#CodeSocial documents with one principle per plane, and contributions as named graphs with
their PROV-O metadata. Lines are formatted directly (no rdflib): 10M triples take seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BASE = "https://w3id.org/commons-graph/"
ID = BASE + "id/"
CG = BASE + "ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DESCRIPTION = f"<{DCT}description>"

NETWORK_GRAPH = f"<{BASE}graph/bench/network>"
CODESOCIAL_GRAPH = f"<{BASE}graph/bench/codesocial>"
PROVENANCE_GRAPH = f"<{BASE}graph/provenance>"

# The concepts of the shipped schemes (data/schemes/*.ttl): generated data points at them.
VALUES = [
    "autonomy",
    "care",
    "co-responsibility",
    "collaboration",
    "collaborative-intelligence",
    "dignity",
    "do-ocracy",
    "fairness",
    "freedom",
    "openness",
    "permanent-beta",
    "sharing",
    "sustainability",
    "transparency",
]
THEMES = [
    "commons",
    "digitisation-of-society",
    "ecological-transition",
    "precariousness",
    "territorial-development",
]
TOPICS = [
    "circular-economy",
    "data-governance",
    "digital-exclusion",
    "fuel-poverty",
    "water-management",
]
COMMONS_KINDS = [
    "culture",
    "data",
    "knowledge",
    "land",
    "place",
    "seeds",
    "software",
    "tools",
    "water",
]
PLANES = [
    "artistic-cultural",
    "ecological",
    "economic",
    "legal",
    "scientific-technological",
    "social-human",
]
ORG_KINDS = ("Collective", "Cooperative", "Association", "Network", "Company", "PublicBody")
FORMAL = {"Cooperative", "Association", "Company", "PublicBody"}
KIND_WORDS = {
    "Collective": ("collective", "collectif"),
    "Cooperative": ("cooperative", "coopérative"),
    "Association": ("association", "association"),
    "Network": ("network", "réseau"),
    "Company": ("company", "entreprise"),
    "PublicBody": ("agency", "agence"),
}
# Words that the text-filter queries look for: each appears in a few percent of the labels.
TOPIC_WORDS = [
    "seed",
    "garden",
    "water",
    "bread",
    "bike",
    "code",
    "repair",
    "energy",
    "forest",
    "library",
    "housing",
    "food",
    "data",
    "music",
    "school",
    "textile",
    "radio",
    "map",
]
SYLLABLES = "ba be bi bo co da de di fa fe ga la le li lo ma me mi mo na ne no pa ra re ri "
SYLLABLES += "sa se so ta te ti to va ve vi za"
SYLLABLE_LIST = SYLLABLES.split()
# One organisation, commons and event in this many carry a defect (an untyped founding date, a
# missing commons kind, an end before the start): whole-graph validation must find them all.
DEFECT_EVERY = 97
# Part of the cached files' names: bump it when the generator's output changes.
GENERATOR_VERSION = 2
FIRST_NAMES = [
    "Ada",
    "Alix",
    "Amina",
    "Bruno",
    "Camille",
    "Chloé",
    "Dario",
    "Elif",
    "Émile",
    "Farah",
    "Gaël",
    "Hana",
    "Inès",
    "Jonas",
    "Karim",
    "Léa",
    "Lucía",
    "Malik",
    "Nora",
    "Oscar",
    "Pia",
    "Quentin",
    "Rosa",
    "Sacha",
    "Tomás",
    "Ugo",
    "Vera",
    "Wen",
    "Yara",
    "Zoé",
]


@dataclass(frozen=True)
class Sizes:
    """How many resources of each kind make a network of about `triples` triples."""

    organisations: int
    persons: int
    commons: int
    projects: int
    events: int
    places: int

    @classmethod
    def for_triples(cls, triples: int) -> Sizes:
        """Counts chosen so that the written network has about `triples` triples."""
        # One block (an organisation and its share of the others) writes about 50.3 triples
        # on average, measured on the generator's own output.
        blocks = max(10, round(triples / 50.3))
        return cls(
            organisations=blocks,
            persons=blocks * 3,
            commons=max(5, blocks // 2),
            projects=max(5, blocks // 2),
            events=max(5, blocks // 3),
            places=max(5, blocks // 10),
        )


def _lit(text: str, lang: str | None = None) -> str:
    """An N-Triples literal (generated text never holds quotes, backslashes or newlines)."""
    return f'"{text}"@{lang}' if lang else f'"{text}"'


def _typed(text: str, datatype: str) -> str:
    return f'"{text}"^^<{XSD}{datatype}>'


class NetworkWriter:
    """Yields the N-Quads lines of a network, deterministically for a given seed."""

    def __init__(self, target_triples: int, seed: int = 42) -> None:
        self.target = target_triples
        self.sizes = Sizes.for_triples(target_triples)
        self.random = random.Random(seed)
        self.count = 0

    def name(self) -> str:
        """A pronounceable made-up word, capitalised."""
        pick = self.random.choice
        return (pick(SYLLABLE_LIST) + pick(SYLLABLE_LIST) + pick(SYLLABLE_LIST)).capitalize()

    def lines(self) -> Iterator[str]:
        """Every line of the network, resources in a stable order."""
        s = self.sizes
        for i in range(s.places):
            yield from self._place(i)
        for i in range(s.organisations):
            yield from self._organisation(i)
            # Interleave the other kinds so that a prefix of the output is a whole network.
            for j in range(3 * i, 3 * i + 3):
                yield from self._person(j)
            if i % 2 == 0:
                yield from self._commons(i // 2)
                yield from self._project(i // 2)
            if i % 3 == 0:
                yield from self._event(i // 3)
            if i % 20 == 0:
                yield from self._codesocial(i)

    def _quad(self, s: str, p: str, o: str, g: str = NETWORK_GRAPH) -> str:
        self.count += 1
        return f"{s} {p} {o} {g} .\n"

    def _labels(self, s: str, en: str, fr: str, g: str = NETWORK_GRAPH) -> Iterator[str]:
        yield self._quad(s, RDFS_LABEL, _lit(en, "en"), g)
        yield self._quad(s, RDFS_LABEL, _lit(fr, "fr"), g)

    def _descriptions(self, s: str, en: str, fr: str, g: str = NETWORK_GRAPH) -> Iterator[str]:
        yield self._quad(s, DESCRIPTION, _lit(en, "en"), g)
        yield self._quad(s, DESCRIPTION, _lit(fr, "fr"), g)

    def _place(self, i: int) -> Iterator[str]:
        s = f"<{ID}place/place-{i}>"
        town = self.name()
        yield self._quad(s, RDF_TYPE, f"<{SCHEMA}Place>")
        yield from self._labels(s, town, town)
        yield self._quad(
            s,
            f"<{SCHEMA}addressCountry>",
            _lit(self.random.choice(["FR", "BE", "ES", "IT", "DE", "BR", "CA"])),
        )

    def _organisation(self, i: int) -> Iterator[str]:
        r, s = self.random, f"<{ID}organisation/org-{i}>"
        kind = ORG_KINDS[i % len(ORG_KINDS)]
        word = r.choice(TOPIC_WORDS)
        name = self.name()
        en_kind, fr_kind = KIND_WORDS[kind]
        place = i % self.sizes.places
        yield self._quad(s, RDF_TYPE, f"<{ORG}Organization>")
        if kind in FORMAL:
            yield self._quad(s, RDF_TYPE, f"<{ORG}FormalOrganization>")
        yield self._quad(s, RDF_TYPE, f"<{CG}{kind}>")
        yield from self._labels(s, f"{name} {word} {en_kind}", f"{fr_kind} {name} {word}")
        yield from self._descriptions(
            s,
            f"A {en_kind} working on {word} in place {place}, founded by its members.",
            f"Une {fr_kind} qui travaille sur {word} au lieu {place}, fondée par ses membres.",
        )
        if i % DEFECT_EVERY == DEFECT_EVERY - 1:
            # A few real-world defects, so that validation has something to find.
            yield self._quad(s, f"<{SCHEMA}foundingDate>", _lit("around 1990"))
        else:
            founded = _typed(str(1950 + r.randrange(75)), "gYear")
            yield self._quad(s, f"<{SCHEMA}foundingDate>", founded)
        yield self._quad(s, f"<{FOAF}homepage>", f"<https://{name.lower()}-{i}.example.org/>")
        yield self._quad(
            s, f"<{SCHEMA}location>", f"<{ID}place/place-{r.randrange(self.sizes.places)}>"
        )
        for value in r.sample(VALUES, 3):
            yield self._quad(s, f"<{CG}holdsValue>", f"<{BASE}value/{value}>")
        yield self._quad(s, f"<{CG}worksOn>", f"<{BASE}theme/{r.choice(THEMES)}>")
        yield self._quad(s, f"<{CG}worksOn>", f"<{BASE}topic/{r.choice(TOPICS)}>")
        if i > 0:
            for _ in range(1 + r.randrange(2)):
                yield self._quad(s, f"<{CG}partnerOf>", f"<{ID}organisation/org-{r.randrange(i)}>")
            networks = i // len(ORG_KINDS)
            if networks and r.random() < 0.5:
                # Organisations of kind Network sit at indexes 3, 9, 15, ...
                network = 6 * r.randrange(networks) + 3
                yield self._quad(s, f"<{ORG}memberOf>", f"<{ID}organisation/org-{network}>")
        if i % 3 == 0:
            yield self._quad(
                s, f"<{CG}organises>", f"<{ID}event/event-{r.randrange(self.sizes.events)}>"
            )
        commons = self.sizes.commons
        relations = [
            (f"<{CG}stewards>", f"<{ID}commons/commons-{i // 2 % commons}>"),
            (f"<{CG}uses>", f"<{ID}commons/commons-{r.randrange(commons)}>"),
            (f"<{CG}contributesTo>", f"<{ID}commons/commons-{r.randrange(commons)}>"),
        ]
        if i % 10 == 0:
            # Every tenth organisation stated these relations itself, in a contribution.
            yield from self._contribution(i, s, relations)
        else:
            for p, o in relations:
                yield self._quad(s, p, o)

    def _contribution(self, i: int, org: str, relations: list[tuple[str, str]]) -> Iterator[str]:
        graph = f"{BASE}graph/contribution/bench{i:012x}"
        g = f"<{graph}>"
        for p, o in relations:
            yield self._quad(org, p, o, g)
        activity = f"<{graph}/version/1>"
        agent = f"<{BASE}agent/bench-member-{i}>"
        when = _typed(f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z", "dateTime")
        p = PROVENANCE_GRAPH
        yield self._quad(g, RDF_TYPE, f"<{PROV}Entity>", p)
        yield self._quad(g, f"<{PROV}wasAttributedTo>", org, p)
        yield self._quad(g, f"<{PROV}generatedAtTime>", when, p)
        yield self._quad(activity, RDF_TYPE, f"<{PROV}Activity>", p)
        yield from self._labels(activity, "Contribution created", "Contribution créée", p)
        yield self._quad(activity, f"<{DCT}type>", _lit("create"), p)
        yield self._quad(activity, f"<{PROV}endedAtTime>", when, p)
        yield self._quad(activity, f"<{PROV}wasAssociatedWith>", agent, p)
        yield self._quad(activity, f"<{PROV}generated>", g, p)
        yield self._quad(agent, RDF_TYPE, f"<{PROV}Agent>", p)
        yield self._quad(agent, f"<{FOAF}name>", _lit(f"Member {i}"), p)
        yield self._quad(agent, f"<{PROV}actedOnBehalfOf>", org, p)

    def _person(self, j: int) -> Iterator[str]:
        r, s = self.random, f"<{ID}person/person-{j}>"
        yield self._quad(s, RDF_TYPE, f"<{FOAF}Person>")
        yield self._quad(s, RDFS_LABEL, _lit(f"{r.choice(FIRST_NAMES)} {self.name()}"))
        yield self._quad(s, f"<{ORG}memberOf>", f"<{ID}organisation/org-{j // 3}>")
        if r.random() < 0.3:
            other = r.randrange(self.sizes.organisations)
            yield self._quad(s, f"<{ORG}memberOf>", f"<{ID}organisation/org-{other}>")
        yield self._quad(s, f"<{CG}holdsValue>", f"<{BASE}value/{r.choice(VALUES)}>")
        for _ in range(r.randrange(3)):
            event = r.randrange(self.sizes.events)
            yield self._quad(s, f"<{CG}takesPartIn>", f"<{ID}event/event-{event}>")

    def _commons(self, i: int) -> Iterator[str]:
        r, s = self.random, f"<{ID}commons/commons-{i}>"
        kind = r.choice(COMMONS_KINDS)
        word = r.choice(TOPIC_WORDS)
        name = self.name()
        yield self._quad(s, RDF_TYPE, f"<{CG}Commons>")
        yield from self._labels(s, f"{name} {word} commons", f"Commun {word} {name}")
        yield from self._descriptions(
            s,
            f"A {kind} commons about {word}, governed by its community.",
            f"Un commun de type {kind} autour de {word}, gouverné par sa communauté.",
        )
        if i % DEFECT_EVERY != DEFECT_EVERY - 1:
            yield self._quad(s, f"<{CG}commonsKind>", f"<{BASE}commons-kind/{kind}>")
        yield self._quad(s, f"<{FOAF}homepage>", f"<https://commons-{i}.example.org/>")

    def _project(self, i: int) -> Iterator[str]:
        r, s = self.random, f"<{ID}project/project-{i}>"
        word = r.choice(TOPIC_WORDS)
        name = self.name()
        yield self._quad(s, RDF_TYPE, f"<{SCHEMA}Project>")
        yield from self._labels(s, f"{name} {word} project", f"Projet {word} {name}")
        yield from self._descriptions(s, f"A project on {word}.", f"Un projet sur {word}.")
        yield self._quad(s, f"<{CG}worksOn>", f"<{BASE}theme/{r.choice(THEMES)}>")
        yield self._quad(
            s, f"<{CG}contributesTo>", f"<{ID}commons/commons-{r.randrange(self.sizes.commons)}>"
        )

    def _event(self, i: int) -> Iterator[str]:
        r, s = self.random, f"<{ID}event/event-{i}>"
        word = r.choice(TOPIC_WORDS)
        name = self.name()
        day = f"{2010 + r.randrange(16)}-{1 + r.randrange(12):02d}-{1 + r.randrange(28):02d}"
        yield self._quad(s, RDF_TYPE, f"<{SCHEMA}Event>")
        yield from self._labels(s, f"{name} {word} gathering", f"Rencontre {word} {name}")
        yield from self._descriptions(
            s, f"A gathering about {word}.", f"Une rencontre autour de {word}."
        )
        yield self._quad(s, f"<{SCHEMA}startDate>", _typed(day, "date"))
        if i % DEFECT_EVERY == DEFECT_EVERY - 1:
            yield self._quad(
                s, f"<{SCHEMA}endDate>", _typed(f"{int(day[:4]) - 1}{day[4:]}", "date")
            )
        else:
            yield self._quad(s, f"<{SCHEMA}endDate>", _typed(day, "date"))
        yield self._quad(
            s, f"<{SCHEMA}location>", f"<{ID}place/place-{r.randrange(self.sizes.places)}>"
        )

    def _codesocial(self, i: int) -> Iterator[str]:
        r, g = self.random, CODESOCIAL_GRAPH
        slug = f"org-{i}"
        doc = f"<{ID}codesocial/{slug}>"
        yield self._quad(doc, RDF_TYPE, f"<{CG}CodeSocial>", g)
        yield from self._labels(doc, f"#CodeSocial of org {i}", f"#CodeSocial de org {i}", g)
        yield self._quad(doc, f"<{CG}codeSocialOf>", f"<{ID}organisation/{slug}>", g)
        yield self._quad(doc, f"<{CG}raisonDEtre>", _lit("A fairer, shared world.", "en"), g)
        yield self._quad(
            doc, f"<{CG}raisonDEtre>", _lit("Un monde plus juste et partagé.", "fr"), g
        )
        for plane in PLANES:
            principle = f"<{ID}principle/{slug}-{plane}>"
            value = r.choice(VALUES)
            yield self._quad(doc, f"<{CG}principle>", principle, g)
            yield self._quad(principle, RDF_TYPE, f"<{CG}Principle>", g)
            yield from self._labels(principle, f"Principle on {plane}", f"Principe {plane}", g)
            yield from self._descriptions(
                principle,
                f"We put {value} into practice on the {plane} plane.",
                f"Nous mettons en pratique {value} sur le plan {plane}.",
                g,
            )
            yield self._quad(principle, f"<{CG}plane>", f"<{BASE}plane/{plane}>", g)
            yield self._quad(principle, f"<{CG}concernsValue>", f"<{BASE}value/{value}>", g)
        entry = f"<{ID}history/{slug}-founding>"
        yield self._quad(doc, f"<{CG}historyEntry>", entry, g)
        yield self._quad(entry, RDF_TYPE, f"<{CG}HistoryEntry>", g)
        yield from self._labels(entry, "Founding", "Fondation", g)
        yield self._quad(entry, f"<{DCT}date>", _typed(str(1990 + r.randrange(35)), "gYear"), g)
        yield from self._descriptions(entry, "The founding.", "La fondation.", g)


@dataclass(frozen=True)
class Generated:
    """A generated network on disk."""

    nquads: Path
    ntriples: Path
    triples: int
    sizes: Sizes


def generate(target_triples: int, folder: Path, seed: int = 42) -> Generated:
    """Write `network-<target>.nq` and `.nt` into `folder` (reused when already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"network-{target_triples}-s{seed}-v{GENERATOR_VERSION}"
    nquads, ntriples, count_file = (stem.with_suffix(x) for x in (".nq", ".nt", ".count"))
    writer = NetworkWriter(target_triples, seed)
    if count_file.exists() and nquads.exists() and ntriples.exists():
        return Generated(nquads, ntriples, int(count_file.read_text()), writer.sizes)
    batch: list[str] = []
    with nquads.open("w", encoding="utf-8") as nq, ntriples.open("w", encoding="utf-8") as nt:
        for line in writer.lines():
            batch.append(line)
            if len(batch) >= 20_000:
                _flush(batch, nq, nt)
        _flush(batch, nq, nt)
    count_file.write_text(str(writer.count))
    return Generated(nquads, ntriples, writer.count, writer.sizes)


def _flush(batch: list[str], nq: object, nt: object) -> None:
    """Write a batch to both files: the N-Triples line drops the graph name."""
    nq.write("".join(batch))  # type: ignore[attr-defined]
    nt.write("".join(line[: line.rindex(" <")] + " .\n" for line in batch))  # type: ignore[attr-defined]
    batch.clear()
