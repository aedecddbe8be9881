"""The English and French texts of the network view, paths and bridges."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "network.error.missing": {
        "en": "this parameter is required",
        "fr": "ce paramètre est obligatoire",
    },
    "network.error.too_long": {
        "en": "this parameter is longer than {limit} characters",
        "fr": "ce paramètre dépasse {limit} caractères",
    },
    "network.error.not_iri": {
        "en": "this is not an http(s) IRI",
        "fr": "ce n'est pas une IRI http(s)",
    },
    "network.error.not_number": {
        "en": "this is not a whole number",
        "fr": "ce n'est pas un nombre entier",
    },
    "network.error.out_of_range": {
        "en": "this must be between {low} and {high}",
        "fr": "cette valeur doit être comprise entre {low} et {high}",
    },
    "network.error.too_many_kinds": {
        "en": "too many relation kinds",
        "fr": "trop de types de relations",
    },
    "network.error.unknown_kind": {
        "en": "unknown relation kind (known: {known})",
        "fr": "type de relation inconnu (connus : {known})",
    },
    "network.error.unknown_resource": {
        "en": "no resource has this IRI here",
        "fr": "aucune ressource n'a cette IRI ici",
    },
    "network.related": {"en": "related to", "fr": "lié à"},
    "network.kind.membership": {"en": "membership", "fr": "appartenance"},
    "network.kind.partnership": {"en": "partnership", "fr": "partenariat"},
    "network.kind.values": {"en": "values", "fr": "valeurs"},
    "network.kind.themes": {"en": "themes and topics", "fr": "thèmes et sujets"},
    "network.kind.commons": {"en": "commons", "fr": "communs"},
    "network.kind.events": {"en": "events", "fr": "événements"},
    "network.kind.activity": {"en": "activity", "fr": "activité"},
    "network.kind.place": {"en": "place", "fr": "lieu"},
    "network.kind.related": {"en": "derived relations", "fr": "relations déduites"},
    "network.kind.other": {"en": "other links", "fr": "autres liens"},
    "network.node.organisations": {"en": "organisation", "fr": "organisation"},
    "network.node.commons": {"en": "commons", "fr": "commun"},
    "network.node.projects": {"en": "project", "fr": "projet"},
    "network.node.events": {"en": "event", "fr": "événement"},
    "network.node.values": {"en": "value", "fr": "valeur"},
    "network.node.themes": {"en": "theme", "fr": "thème"},
    "network.node.topics": {"en": "topic", "fr": "sujet"},
    "network.node.persons": {"en": "person", "fr": "personne"},
    "network.node.places": {"en": "place", "fr": "lieu"},
    "network.node.codesocial": {"en": "#CodeSocial", "fr": "#CodeSocial"},
    "network.node.concepts": {"en": "concept", "fr": "concept"},
    "network.node.other": {"en": "other", "fr": "autre"},
    "network.bridge.values.one": {"en": "value", "fr": "valeur"},
    "network.bridge.values.many": {"en": "values", "fr": "valeurs"},
    "network.bridge.themes.one": {"en": "theme", "fr": "thème"},
    "network.bridge.themes.many": {"en": "themes", "fr": "thèmes"},
    "network.bridge.commons.one": {"en": "commons", "fr": "commun"},
    "network.bridge.commons.many": {"en": "commons", "fr": "communs"},
    "network.bridge.activity.one": {"en": "activity", "fr": "activité"},
    "network.bridge.activity.many": {"en": "activities", "fr": "activités"},
    "network.bridge.place.one": {"en": "place", "fr": "lieu"},
    "network.bridge.place.many": {"en": "places", "fr": "lieux"},
    "network.title": {"en": "Network", "fr": "Réseau"},
    "network.intro": {
        "en": "The resources within a few links of one resource, and the links between them. "
        "Solid lines are links stated in the data; dashed lines are relations derived from "
        "shared facts.",
        "fr": "Les ressources à quelques liens d'une ressource, et les liens entre elles. Les "
        "traits pleins sont des liens déclarés dans les données ; les tirets, des relations "
        "déduites de faits partagés.",
    },
    "network.resource": {"en": "Resource (IRI)", "fr": "Ressource (IRI)"},
    "network.depth": {"en": "Depth (links away)", "fr": "Profondeur (nombre de liens)"},
    "network.kinds": {"en": "Relation kinds", "fr": "Types de relations"},
    "network.show": {"en": "Show", "fr": "Afficher"},
    "network.heading": {"en": "Network", "fr": "Réseau"},
    "network.graph_label": {
        "en": "Graph of the links of {label} (the same links are listed below)",
        "fr": "Graphe des liens de {label} (les mêmes liens sont listés ci-dessous)",
    },
    "network.text_heading": {"en": "Links, as a list", "fr": "Les liens, en liste"},
    "network.pending": {
        "en": "The network of this site is being indexed; its links are on the network page.",
        "fr": (
            "Le réseau de ce site est en cours d’indexation ; ses liens sont sur la page du réseau."
        ),
    },
    "network.truncated": {
        "en": "Only the first {count} resources are shown.",
        "fr": "Seules les {count} premières ressources sont affichées.",
    },
    "network.data": {"en": "This neighbourhood as data:", "fr": "Ce voisinage en données :"},
    "network.explore": {
        "en": "Explore the network around this resource",
        "fr": "Explorer le réseau autour de cette ressource",
    },
    "network.paths_from": {
        "en": "Find paths from this resource to another",
        "fr": "Chercher des chemins vers une autre ressource",
    },
    "network.derived_mark": {"en": "derived", "fr": "déduit"},
    "network.legend": {"en": "Legend:", "fr": "Légende :"},
    "network.legend_stated": {"en": "stated link (solid line)", "fr": "lien déclaré (trait plein)"},
    "network.legend_derived": {
        "en": "derived relation (dashed line)",
        "fr": "relation déduite (tirets)",
    },
    "network.empty": {"en": "No links.", "fr": "Aucun lien."},
    "network.no_script": {
        "en": "The interactive graph needs JavaScript; the same links are listed below.",
        "fr": "Le graphe interactif demande JavaScript ; les mêmes liens sont listés ci-dessous.",
    },
    "network.click_hint": {
        "en": "Select a resource in the graph to open its page.",
        "fr": "Choisissez une ressource dans le graphe pour ouvrir sa page.",
    },
    "paths.title": {"en": "Paths between two resources", "fr": "Chemins entre deux ressources"},
    "paths.intro": {
        "en": "The shortest chains of links (stated or derived, in either direction) that join "
        "two resources.",
        "fr": "Les plus courtes chaînes de liens (déclarés ou déduits, dans un sens ou dans "
        "l'autre) qui relient deux ressources.",
    },
    "paths.from": {"en": "From (IRI)", "fr": "De (IRI)"},
    "paths.to": {"en": "To (IRI)", "fr": "À (IRI)"},
    "paths.max": {"en": "At most this many links", "fr": "Au plus ce nombre de liens"},
    "paths.find": {"en": "Find paths", "fr": "Chercher des chemins"},
    "paths.none": {
        "en": "No chain of at most {max} links joins them.",
        "fr": "Aucune chaîne d'au plus {max} liens ne les relie.",
    },
    "paths.found": {
        "en": "{count} shortest chain(s) from {source} to {target}:",
        "fr": "{count} plus courte(s) chaîne(s) de {source} à {target} :",
    },
    "paths.path": {
        "en": "Chain {number}, {length} link(s)",
        "fr": "Chaîne {number}, {length} lien(s)",
    },
    "paths.timed_out": {
        "en": "The search stopped on its time limit: other chains may exist.",
        "fr": "La recherche s'est arrêtée sur sa limite de temps : d'autres chaînes peuvent "
        "exister.",
    },
    "paths.as_json": {"en": "These paths as JSON", "fr": "Ces chemins en JSON"},
    "paths.same": {
        "en": "The two resources are the same.",
        "fr": "Les deux ressources sont la même.",
    },
    "bridges.title": {
        "en": "Bridges: organisations to meet",
        "fr": "Passerelles : organisations à rencontrer",
    },
    "bridges.intro": {
        "en": "Organisations with no stated link to this one that share its values, themes, "
        "commons, activities or places (a rarely shared one counts more).",
        "fr": "Des organisations sans lien déclaré avec celle-ci qui partagent ses valeurs, "
        "thèmes, communs, activités ou lieux (un point commun rare compte davantage).",
    },
    "bridges.shares": {
        "en": "shares {count} {kind}: {items}",
        "fr": "partage {count} {kind} : {items}",
    },
    "bridges.path": {"en": "how are we linked?", "fr": "comment sommes-nous liés ?"},
}
