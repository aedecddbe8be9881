"""The English and French texts of the #CodeSocial pages and commands (registered in i18n)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "codesocial.verify.ok": {
        "en": "OK: {version} matches its published hash sha256:{hash} ({count} statements).",
        "fr": "OK : {version} correspond à son empreinte publiée sha256:{hash} ({count} énoncés).",
    },
    "codesocial.verify.mismatch": {
        "en": "MISMATCH: {version} now hashes to sha256:{hash} but was published as {recorded}: "
        "it has been changed since publication.",
        "fr": "DIFFÉRENCE : {version} a maintenant l'empreinte sha256:{hash} mais a été publiée "
        "avec {recorded} : elle a été modifiée depuis sa publication.",
    },
    "codesocial.publish.done": {
        "en": "Published {version} (version {number}) on {issued}, hash sha256:{hash}.",
        "fr": "Publiée : {version} (version {number}) le {issued}, empreinte sha256:{hash}.",
    },
    "codesocial.none": {"en": "none", "fr": "aucune"},
    "codesocial.nav": {"en": "#CodeSocial", "fr": "#CodeSocial"},
    "codesocial.index.title": {
        "en": "#CodeSocial documents",
        "fr": "Documents #CodeSocial",
    },
    "codesocial.index.intro": {
        "en": "A #CodeSocial states the what, the why and the how of an organisation or project: "
        "its raison d'être, its history, and its principles and models on six planes. Each "
        "published version is fixed, citable and verifiable.",
        "fr": "Un #CodeSocial explicite le quoi, le pourquoi et le comment d'une organisation ou "
        "d'un projet : sa raison d'être, son histoire, et ses principes et modèles sur six plans. "
        "Chaque version publiée est figée, citable et vérifiable.",
    },
    "codesocial.draft": {"en": "Draft", "fr": "Brouillon"},
    "codesocial.draft_notice": {
        "en": "This is the living draft: it changes as members edit it. Published versions "
        "never change.",
        "fr": "Ceci est le brouillon vivant : il change au fil des modifications des membres. "
        "Les versions publiées ne changent jamais.",
    },
    "codesocial.version": {"en": "Version {number}", "fr": "Version {number}"},
    "codesocial.latest": {"en": "latest version", "fr": "dernière version"},
    "codesocial.not_latest": {
        "en": "A newer version exists: version {number}.",
        "fr": "Une version plus récente existe : la version {number}.",
    },
    "codesocial.of": {"en": "#CodeSocial of {name}", "fr": "#CodeSocial de {name}"},
    "codesocial.raison": {"en": "Raison d'être", "fr": "Raison d'être"},
    "codesocial.history": {"en": "History", "fr": "Histoire"},
    "codesocial.planes": {"en": "Principles and models", "fr": "Principes et modèles"},
    "codesocial.principles": {"en": "Principles", "fr": "Principes"},
    "codesocial.models": {"en": "Models", "fr": "Modèles"},
    "codesocial.values": {"en": "Values", "fr": "Valeurs"},
    "codesocial.commons": {"en": "Commons", "fr": "Communs"},
    "codesocial.nothing_on_plane": {
        "en": "Nothing stated on this plane yet.",
        "fr": "Rien n'est encore énoncé sur ce plan.",
    },
    "codesocial.unplaced": {"en": "Without a plane", "fr": "Sans plan"},
    "codesocial.versions": {"en": "Published versions", "fr": "Versions publiées"},
    "codesocial.no_versions": {
        "en": "No version has been published yet.",
        "fr": "Aucune version n'a encore été publiée.",
    },
    "codesocial.published": {
        "en": "Published on {date} by {publisher}",
        "fr": "Publiée le {date} par {publisher}",
    },
    "codesocial.hash": {"en": "Content hash", "fr": "Empreinte du contenu"},
    "codesocial.cite": {"en": "Cite as", "fr": "Citer ainsi"},
    "codesocial.citation": {
        "en": "{name}, #CodeSocial, version {number}, published {date}, {iri}, sha256:{hash}",
        "fr": "{name}, #CodeSocial, version {number}, publiée le {date}, {iri}, sha256:{hash}",
    },
    "codesocial.verify_how": {
        "en": "Check it: commons-graph codesocial verify {iri}",
        "fr": "Vérifiez-la : commons-graph codesocial verify {iri}",
    },
    "codesocial.compare": {"en": "Compare versions", "fr": "Comparer les versions"},
    "codesocial.compare.title": {
        "en": "What changed from {old} to {new}",
        "fr": "Ce qui a changé de {old} à {new}",
    },
    "codesocial.compare.from": {"en": "From", "fr": "De"},
    "codesocial.compare.to": {"en": "To", "fr": "À"},
    "codesocial.compare.submit": {"en": "Compare", "fr": "Comparer"},
    "codesocial.compare.same": {
        "en": "Both say exactly the same.",
        "fr": "Les deux disent exactement la même chose.",
    },
    "codesocial.compare.summary": {
        "en": "{removed} statement(s) removed, {added} added.",
        "fr": "{removed} énoncé(s) retiré(s), {added} ajouté(s).",
    },
    "codesocial.compare.added": {"en": "Added", "fr": "Ajouté"},
    "codesocial.compare.removed": {"en": "Removed", "fr": "Retiré"},
    "codesocial.compare.bad": {
        "en": "Choose two states to compare: version numbers or 'draft'.",
        "fr": "Choisissez deux états à comparer : des numéros de version ou « draft ».",
    },
    "codesocial.section.document": {"en": "The document", "fr": "Le document"},
    "codesocial.section.raison": {"en": "Raison d'être", "fr": "Raison d'être"},
    "codesocial.section.history": {"en": "History", "fr": "Histoire"},
    "codesocial.section.principles": {"en": "Principles", "fr": "Principes"},
    "codesocial.section.models": {"en": "Models", "fr": "Modèles"},
    "codesocial.section.other": {"en": "Other statements", "fr": "Autres énoncés"},
    "codesocial.audit": {"en": "History of changes", "fr": "Historique des modifications"},
    "codesocial.audit.publication": {
        "en": "Version {number} published by {agents}",
        "fr": "Version {number} publiée par {agents}",
    },
    "codesocial.audit.contribution": {
        "en": "{action} by {agent}",
        "fr": "{action} par {agent}",
    },
    "codesocial.publish": {"en": "Publish this draft", "fr": "Publier ce brouillon"},
    "codesocial.publish.help": {
        "en": "Members of {name} may freeze the draft as version {number}.",
        "fr": "Les membres de {name} peuvent figer le brouillon en version {number}.",
    },
    "codesocial.publish.forbidden": {
        "en": "Only members of {name} (or administrators) may publish its #CodeSocial.",
        "fr": "Seuls les membres de {name} (ou les administrateurs) peuvent publier son "
        "#CodeSocial.",
    },
    "codesocial.publish.nothing": {
        "en": "The draft has not changed since version {number}: nothing to publish.",
        "fr": "Le brouillon n'a pas changé depuis la version {number} : rien à publier.",
    },
    "codesocial.publish.conflict": {
        "en": (
            "Version {number} was published by someone else at the same moment; look at it and "
            "publish again if needed."
        ),
        "fr": (
            "La version {number} a été publiée par quelqu'un d'autre au même moment ; "
            "consultez-la et publiez à nouveau si besoin."
        ),
    },
    "codesocial.print": {"en": "Print", "fr": "Imprimer"},
    "codesocial.draft_link": {"en": "the draft", "fr": "le brouillon"},
    "codesocial.error.not_an_iri": {
        "en": "not a #CodeSocial IRI: {iri}",
        "fr": "pas une IRI de #CodeSocial : {iri}",
    },
    "codesocial.error.unknown_publisher": {
        "en": "the publisher {publisher} is not an organisation or a person known to the store",
        "fr": "l'éditeur {publisher} n'est ni une organisation ni une personne connue du magasin",
    },
    "codesocial.error.no_document": {
        "en": "no #CodeSocial at {iri}",
        "fr": "aucun #CodeSocial à {iri}",
    },
    "codesocial.error.not_published": {
        "en": "{iri} has not been published",
        "fr": "{iri} n'a pas été publiée",
    },
    "codesocial.error.no_version": {
        "en": "{iri} has no published version",
        "fr": "{iri} n'a aucune version publiée",
    },
    "codesocial.error.not_a_state": {
        "en": "not the IRI of a #CodeSocial or of one of its versions: {iri}",
        "fr": "pas l'IRI d'un #CodeSocial ni d'une de ses versions : {iri}",
    },
    "codesocial.error.compare_other": {
        "en": "compare two states of the same #CodeSocial",
        "fr": "comparez deux états du même #CodeSocial",
    },
}
