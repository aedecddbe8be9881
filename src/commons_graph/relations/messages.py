"""The English and French texts of derived relations (pages and the command line)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "relations.deriving_owed": {
        "en": "Deriving the relations between organisations, owed since the last load…",
        "fr": "Calcul des liens entre organisations, dû depuis le dernier chargement…",
    },
    "relations.rebuilt": {
        "en": (
            "{relations} relations between {organisations} organisations in {graph} "
            "({added} new or changed, {removed} removed, {kept} unchanged; {seconds} s)."
        ),
        "fr": (
            "{relations} liens entre {organisations} organisations dans {graph} "
            "({added} nouveaux ou modifiés, {removed} retirés, {kept} inchangés ; {seconds} s)."
        ),
    },
    "related.title": {"en": "Related organisations", "fr": "Organisations en lien"},
    "related.note": {
        "en": (
            "Computed by this service from facts both share, not stated by them: a relation, "
            "not a partnership. Either side can confirm it as a partnership."
        ),
        "fr": (
            "Calculé par ce service à partir de faits que les deux partagent, non déclaré par "
            "elles : un lien, pas un partenariat. Chacune peut le confirmer comme partenariat."
        ),
    },
    "related.score": {"en": "{score} shared facts", "fr": "{score} faits partagés"},
    "related.score_one": {"en": "1 shared fact", "fr": "1 fait partagé"},
    "related.rule.sameActivityInLocality": {
        "en": "same activity ({names}) in {locality}",
        "fr": "même activité ({names}) à {locality}",
    },
    "related.rule.sharedValue": {
        "en": "both hold the value {names}",
        "fr": "les deux portent la valeur {names}",
    },
    "related.rule.sharedTheme": {
        "en": "both work on {names}",
        "fr": "les deux travaillent sur {names}",
    },
    "related.rule.sharedCommons": {
        "en": "both take part in the commons {names}",
        "fr": "les deux participent au commun {names}",
    },
    "related.rule.sameNetwork": {
        "en": "both are members of {names}",
        "fr": "les deux sont membres de {names}",
    },
    "related.rule.mappedTheme": {
        "en": "{worker} works on {first}, mapped to {second}, under which {filed} is filed",
        "fr": (
            "{worker} travaille sur {first}, mis en correspondance avec {second}, sous lequel "
            "{filed} est classée"
        ),
    },
    "related.confirmed": {"en": "Confirmed partnership", "fr": "Partenariat confirmé"},
    "related.stated_by": {
        "en": "Partnership stated by {name}, not yet by the other side",
        "fr": "Partenariat déclaré par {name}, pas encore par l'autre partie",
    },
    "related.confirm": {
        "en": "Confirm as a partnership (for {name})",
        "fr": "Confirmer comme partenariat (pour {name})",
    },
    "related.confirm_comment": {
        "en": "Confirms the relation derived with {other} as a partnership.",
        "fr": "Confirme comme partenariat le lien calculé avec {other}.",
    },
    "related.not_derived": {
        "en": "{other} is not related to this organisation by the service (any more).",
        "fr": "{other} n'est pas (ou plus) en lien avec cette organisation selon le service.",
    },
    "related.mapped_title": {
        "en": "Organisations on this through the ESSGlobal mappings",
        "fr": "Organisations concernées par les correspondances ESSGlobal",
    },
    "related.mapped_note": {
        "en": (
            "Filed under an ESSGlobal activity or qualifier this is mapped to: found through a "
            "shipped mapping, not stated by these organisations."
        ),
        "fr": (
            "Classées sous une activité ou un qualificatif ESSGlobal mis en correspondance : "
            "trouvées par une correspondance livrée, non déclarées par ces organisations."
        ),
    },
    "related.mapped_group": {
        "en": "{match} {concept}: {total} organisations",
        "fr": "{match} {concept} : {total} organisations",
    },
    "related.mapped_more": {
        "en": "and {count} more (the SPARQL example lists them all)",
        "fr": "et {count} de plus (l'exemple SPARQL les liste toutes)",
    },
    "related.match.exactMatch": {"en": "Same as", "fr": "Identique à"},
    "related.match.closeMatch": {"en": "Close to", "fr": "Proche de"},
    "related.match.narrowMatch": {"en": "Includes", "fr": "Inclut"},
    "related.match.broadMatch": {"en": "Part of", "fr": "Fait partie de"},
    "related.match.relatedMatch": {"en": "Related to", "fr": "En lien avec"},
}
