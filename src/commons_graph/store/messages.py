"""The English and French texts of the stores: opening, reading, writing, remote servers."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "store.sealed_graph": {
        "en": "refused: {graphs} is a published version and can never be changed",
        "fr": "refusé : {graphs} est une version publiée et ne peut jamais être modifiée",
    },
    "store.publishing_only": {
        "en": "refused: {subject} is a #CodeSocial version; only publishing writes it",
        "fr": "refusé : {subject} est une version d'un #CodeSocial ; seule la publication l'écrit",
    },
    "store.expected_select": {
        "en": "expected a SELECT query",
        "fr": "une requête SELECT était attendue",
    },
    "store.expected_ask": {
        "en": "expected an ASK query",
        "fr": "une requête ASK était attendue",
    },
    "store.expected_graph": {
        "en": "expected a CONSTRUCT or DESCRIBE query",
        "fr": "une requête CONSTRUCT ou DESCRIBE était attendue",
    },
    "store.query_syntax": {
        "en": "{detail}",
        "fr": "{detail}",
    },
    "store.server_rejected_query": {
        "en": "the SPARQL server rejected the query",
        "fr": "le serveur SPARQL a refusé la requête",
    },
    "store.unreachable": {
        "en": "cannot reach the SPARQL server at {url}: {reason}",
        "fr": "impossible de joindre le serveur SPARQL à {url} : {reason}",
    },
    "store.server_timeout": {
        "en": "the SPARQL server at {url} did not answer within {seconds} s",
        "fr": "le serveur SPARQL à {url} n'a pas répondu en {seconds} s",
    },
    "store.server_answered": {
        "en": "the SPARQL server at {url} answered {answer}{detail}",
        "fr": "le serveur SPARQL à {url} a répondu {answer}{detail}",
    },
    "store.server_refused_credentials": {
        "en": (
            "the SPARQL server at {url} answered {answer}{detail} (check "
            "COMMONS_GRAPH_STORE_USER and COMMONS_GRAPH_STORE_PASSWORD)"
        ),
        "fr": (
            "le serveur SPARQL à {url} a répondu {answer}{detail} (vérifiez "
            "COMMONS_GRAPH_STORE_USER et COMMONS_GRAPH_STORE_PASSWORD)"
        ),
    },
    "store.select_wrong": {
        "en": "the SPARQL server at {url} answered a SELECT wrongly",
        "fr": "le serveur SPARQL à {url} a mal répondu à un SELECT",
    },
    "store.unreadable_results_of": {
        "en": (
            "the SPARQL server at {url} answered with unreadable results ({media_type}): {detail}"
        ),
        "fr": (
            "le serveur SPARQL à {url} a répondu par des résultats illisibles ({media_type}) : "
            "{detail}"
        ),
    },
    "store.unreadable_results": {
        "en": "the SPARQL server at {url} answered with unreadable results: {detail}",
        "fr": "le serveur SPARQL à {url} a répondu par des résultats illisibles : {detail}",
    },
    "store.broke_off": {
        "en": "the SPARQL server at {url} broke off its answer: {detail}",
        "fr": "le serveur SPARQL à {url} a interrompu sa réponse : {detail}",
    },
    "store.no_count": {
        "en": "the SPARQL server at {url} did not answer a COUNT",
        "fr": "le serveur SPARQL à {url} n'a pas répondu à un COUNT",
    },
    "store.read_only": {
        "en": (
            "the store at {url} is read-only: set COMMONS_GRAPH_STORE_UPDATE (--store-update) to "
            "the server's SPARQL Update URL to write"
        ),
        "fr": (
            "le magasin à {url} est en lecture seule : donnez à COMMONS_GRAPH_STORE_UPDATE "
            "(--store-update) l'URL SPARQL Update du serveur pour y écrire"
        ),
    },
    "store.write_failed": {
        "en": "the write to {folder} failed, nothing was stored: {detail}",
        "fr": "l'écriture dans {folder} a échoué, rien n'a été enregistré : {detail}",
    },
    "store.cannot_read_served": {
        "en": "cannot read the store at {folder} while it is served: {detail}",
        "fr": "impossible de lire le magasin {folder} pendant qu'il est servi : {detail}",
    },
    "store.in_use": {
        "en": (
            "the store at {folder} is in use by another process (is `commons-graph serve` "
            "running on it?)"
        ),
        "fr": (
            "le magasin à {folder} est utilisé par un autre processus (`commons-graph serve` "
            "tourne-t-il dessus ?)"
        ),
    },
    "store.cannot_open": {
        "en": "cannot open the store at {folder}: {detail}",
        "fr": "impossible d'ouvrir le magasin à {folder} : {detail}",
    },
}
