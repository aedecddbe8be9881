"""What the #CodeSocial pages show, gathered from the store (dataclasses, never responses)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from commons_graph.codesocial.document import Document, build_document
from commons_graph.codesocial.draft import Draft, list_drafts, read_draft
from commons_graph.codesocial.iris import VersionRef, draft_iri, slug_of
from commons_graph.codesocial.versions import (
    VersionInfo,
    get_version,
    list_versions,
    publication_record,
    version_content,
)
from commons_graph.errors import NotFoundError
from commons_graph.store.base import Store
from commons_graph.views.labels import Labels, fetch_labels, pick


@dataclass
class CodeSocialPage:
    """A draft or a version, laid out, with the labels of what it links to."""

    slug: str
    document: Document
    labels: Labels
    versions: list[VersionInfo]
    version: VersionInfo | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    quads: list[ox.Quad] = field(default_factory=list)

    @property
    def subject_name(self) -> str:
        """The name of the organisation or project, in the page language."""
        subject = self.document.subject
        return self.labels(subject) if subject else self.slug

    @property
    def latest(self) -> VersionInfo | None:
        """The latest published version."""
        return self.versions[-1] if self.versions else None

    def text(self, texts: dict[str, str]) -> str:
        """A language-tagged text in the page language, else the other one."""
        return pick(texts, self.labels.lang) or ""


def draft_page(store: Store, slug: str, lang: str) -> CodeSocialPage:
    """The draft's page; NotFoundError when there is no such #CodeSocial."""
    draft: Draft = read_draft(store, draft_iri(slug))
    if not draft.exists:
        raise NotFoundError("codesocial.error.no_document", iri=draft.root.value)
    document = build_document(draft.triples, draft.root)
    labels = fetch_labels(store, document.linked(), lang)
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in draft.triples]
    return CodeSocialPage(
        slug, document, labels, list_versions(store, slug), None, draft.triples, quads
    )


def version_page(store: Store, ref: VersionRef, lang: str) -> CodeSocialPage:
    """A published version's page; NotFoundError when it was never published."""
    info = get_version(store, ref)
    content = version_content(store, ref)
    record = publication_record(store, ref)
    document = build_document([*content, *record], ref.iri)
    document.label = {}
    for t in record:
        is_label = t.subject == ref.iri and t.predicate.value.endswith("#label")
        if is_label and isinstance(t.object, ox.Literal):
            document.label.setdefault(t.object.language or "", t.object.value)
    labels = fetch_labels(store, document.linked() | {info.publisher, *info.agents}, lang)
    quads = [ox.Quad(t.subject, t.predicate, t.object, ref.content_graph) for t in content]
    quads += [ox.Quad(t.subject, t.predicate, t.object, ref.publication_graph) for t in record]
    return CodeSocialPage(
        ref.slug,
        document,
        labels,
        list_versions(store, ref.slug),
        info,
        [*content, *record],
        quads,
    )


@dataclass(frozen=True)
class IndexRow:
    """One #CodeSocial in the index."""

    slug: str
    iri: str
    subject: str | None
    latest: VersionInfo | None


def index_rows(store: Store, lang: str) -> tuple[list[IndexRow], Labels]:
    """Every #CodeSocial with its latest version, and the labels to show them."""
    rows = []
    for root, subject in list_drafts(store):
        slug = slug_of(root.value)
        if slug is None:
            continue
        versions = list_versions(store, slug)
        rows.append(
            IndexRow(
                slug,
                root.value,
                subject.value if subject else None,
                versions[-1] if versions else None,
            )
        )
    labels = fetch_labels(store, [r.subject for r in rows if r.subject], lang)
    return rows, labels
