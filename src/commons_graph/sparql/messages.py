"""The English and French texts of SPARQL: protocol errors, the editor, SPARQL Update."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # SPARQL Update for admins (web/routes/update.py, sparql/update.py).
    "update.admin_only": {
        "en": "SPARQL Update is only for admins: send an admin token (Authorization: Bearer).",
        "fr": (
            "SPARQL Update est réservé aux administrateurs : envoyez un jeton d'administrateur "
            "(Authorization: Bearer)."
        ),
    },
    "update.bad_token": {
        "en": "The token is missing, malformed, unknown or revoked.",
        "fr": "Le jeton est absent, mal formé, inconnu ou révoqué.",
    },
    "update.post_only": {
        "en": "A SPARQL Update is sent with POST, in the request body.",
        "fr": "Une mise à jour SPARQL s'envoie avec POST, dans le corps de la requête.",
    },
    "update.unsupported_media_type": {
        "en": (
            "Send an update as application/sparql-update (UTF-8) or as the update field of an "
            "application/x-www-form-urlencoded form, not {media_type}."
        ),
        "fr": (
            "Envoyez une mise à jour en application/sparql-update (UTF-8) ou dans le champ "
            "update d'un formulaire application/x-www-form-urlencoded, pas en {media_type}."
        ),
    },
    "update.missing": {
        "en": "The request holds no update.",
        "fr": "La requête ne contient aucune mise à jour.",
    },
    "update.repeated_parameter": {
        "en": "Give one update (and no query) per request; '{name}' is repeated or misplaced.",
        "fr": (
            "Une seule mise à jour (et aucune requête) par appel ; « {name} » est répété ou "
            "mal placé."
        ),
    },
    "update.not_utf8": {
        "en": "The update is not valid UTF-8 text.",
        "fr": "La mise à jour n'est pas un texte UTF-8 valide.",
    },
    "update.syntax": {
        "en": "The update does not parse: {detail}",
        "fr": "La mise à jour ne peut pas être lue : {detail}",
    },
    "update.evaluation": {
        "en": "The update failed and nothing was written: {detail}",
        "fr": "La mise à jour a échoué et rien n'a été écrit : {detail}",
    },
    "update.forbidden_clause": {
        "en": "{clause} is not allowed: the service never opens connections for an update.",
        "fr": (
            "{clause} n'est pas permis : le service n'ouvre jamais de connexion pour une mise à "
            "jour."
        ),
    },
    "update.dataset_conflict": {
        "en": (
            "Give the dataset either with using-graph-uri / using-named-graph-uri or with "
            "USING / WITH in the update, not both."
        ),
        "fr": (
            "Donnez le jeu de données soit par using-graph-uri / using-named-graph-uri, soit "
            "par USING / WITH dans la mise à jour, pas les deux."
        ),
    },
    "update.dataset_unreadable": {
        "en": (
            "using-graph-uri / using-named-graph-uri cannot be applied to this update: its "
            "operations could not be read."
        ),
        "fr": (
            "using-graph-uri / using-named-graph-uri ne peuvent pas s'appliquer à cette mise à "
            "jour : ses opérations n'ont pas pu être lues."
        ),
    },
    "update.bad_graph": {
        "en": "'{iri}' is not an absolute IRI.",
        "fr": "« {iri} » n'est pas un IRI absolu.",
    },
    "update.blank_nodes": {
        "en": (
            "This update changes statements about blank nodes in a way that cannot be written "
            "back ({detail}); nothing was written."
        ),
        "fr": (
            "Cette mise à jour modifie des énoncés sur des nœuds anonymes d'une façon qui ne "
            "peut pas être réécrite ({detail}) ; rien n'a été écrit."
        ),
    },
    "update.sealed": {
        "en": "Refused, nothing was written: {detail}",
        "fr": "Refusé, rien n'a été écrit : {detail}",
    },
    "update.timeout": {
        "en": "The update took longer than {seconds} s and was stopped; nothing was written.",
        "fr": "La mise à jour a pris plus de {seconds} s et a été arrêtée ; rien n'a été écrit.",
    },
    "update.busy": {
        "en": "The store kept changing while the update ran; nothing was written, try again.",
        "fr": ("Le magasin a changé pendant la mise à jour ; rien n'a été écrit, réessayez."),
    },
    "update.crashed": {
        "en": "The update's process stopped unexpectedly; nothing was written.",
        "fr": "Le processus de la mise à jour s'est arrêté ; rien n'a été écrit.",
    },
    "update.no_sandbox": {
        "en": (
            "Updates run only in a process without network, which this system does not allow "
            "(seccomp); nothing was written."
        ),
        "fr": (
            "Les mises à jour ne s'exécutent que dans un processus sans réseau, ce que ce "
            "système ne permet pas (seccomp) ; rien n'a été écrit."
        ),
    },
    "update.store_failed": {
        "en": "The store could not be written; nothing was written.",
        "fr": "Le magasin n'a pas pu être modifié ; rien n'a été écrit.",
    },
    # SPARQL endpoint (web/routes/sparql.py).
    "sparql.unknown_format": {
        "en": "Unknown result format '{name}'; known: {known}.",
        "fr": "Format de résultat « {name} » inconnu ; formats connus : {known}.",
    },
    "sparql.not_acceptable": {
        "en": "None of the accepted media types can be served; offered: {offered}.",
        "fr": "Aucun des types de média acceptés ne peut être servi ; proposés : {offered}.",
    },
    "sparql.too_large": {
        "en": "The query is larger than the limit of {limit} bytes.",
        "fr": "La requête dépasse la limite de {limit} octets.",
    },
    "sparql.update_forbidden": {
        "en": "This endpoint only answers queries: SPARQL Update is not allowed.",
        "fr": "Ce point d'accès ne répond qu'aux requêtes : SPARQL Update n'est pas permis.",
    },
    "sparql.unsupported_media_type": {
        "en": (
            "Cannot read a request body of type {media_type}; send "
            "application/x-www-form-urlencoded or application/sparql-query."
        ),
        "fr": (
            "Impossible de lire un corps de requête de type {media_type} ; envoyez "
            "application/x-www-form-urlencoded ou application/sparql-query."
        ),
    },
    "sparql.repeated_parameter": {
        "en": "The parameter '{name}' may be given only once.",
        "fr": "Le paramètre « {name} » ne peut être donné qu'une fois.",
    },
    "sparql.missing_query": {
        "en": "No query was given: send it in the 'query' parameter or as the body.",
        "fr": "Aucune requête n'a été donnée : envoyez-la dans le paramètre « query » ou en corps.",
    },
    "sparql.too_many_queries": {
        "en": "Too many queries at once (at most {limit} per client); retry in a moment.",
        "fr": "Trop de requêtes à la fois (au plus {limit} par client) ; réessayez bientôt.",
    },
    "sparql.busy": {
        "en": "The service is busy; retry in a moment (time limit {seconds} s).",
        "fr": "Le service est occupé ; réessayez dans un instant (limite de {seconds} s).",
    },
    "sparql.timeout": {
        "en": "The query was stopped at the time limit of {seconds} s; narrow it and try again.",
        "fr": "La requête a été arrêtée à la limite de {seconds} s ; restreignez-la et réessayez.",
    },
    "sparql.syntax": {
        "en": "The query does not parse: {detail}",
        "fr": "La requête ne peut pas être lue : {detail}",
    },
    "sparql.evaluation": {
        "en": "The query could not be evaluated: {detail}",
        "fr": "La requête n'a pas pu être évaluée : {detail}",
    },
    "sparql.forbidden_clause": {
        "en": "{clause} is not allowed here: the service never opens connections for a query.",
        "fr": (
            "{clause} n'est pas permis ici : le service n'ouvre jamais de connexion "
            "pour une requête."
        ),
    },
    # SPARQL editor page (web/templates/sparql.html).
    "sparql.page_title": {"en": "SPARQL query editor", "fr": "Éditeur de requêtes SPARQL"},
    "sparql.page_intro": {
        "en": (
            "Query the commons network with SPARQL 1.1. The default graph is the union of all "
            "graphs. Results are limited to {rows} rows and {seconds} s per query."
        ),
        "fr": (
            "Interrogez le réseau des communs en SPARQL 1.1. Le graphe par défaut est l'union "
            "de tous les graphes. Les résultats sont limités à {rows} lignes et {seconds} s par "
            "requête."
        ),
    },
    "sparql.query_label": {"en": "Query", "fr": "Requête"},
    "sparql.format_label": {"en": "Result format", "fr": "Format des résultats"},
    "sparql.format_html": {"en": "Table (this page)", "fr": "Tableau (cette page)"},
    "sparql.run": {"en": "Run query", "fr": "Exécuter la requête"},
    "sparql.examples": {"en": "Example queries", "fr": "Exemples de requêtes"},
    "sparql.examples_intro": {
        "en": "Questions researchers ask of the network; pick one to load it in the editor.",
        "fr": (
            "Des questions que l'on pose au réseau ; choisissez-en une pour la charger dans "
            "l'éditeur."
        ),
    },
    "sparql.results": {"en": "Results", "fr": "Résultats"},
    "sparql.no_results": {"en": "No results.", "fr": "Aucun résultat."},
    "sparql.truncated": {
        "en": "Only the first {rows} rows are shown: the result was cut at the limit.",
        "fr": (
            "Seules les {rows} premières lignes sont affichées : le résultat a été coupé à la "
            "limite."
        ),
    },
    "sparql.endpoint_note": {
        "en": "Endpoint for tools: {url} (SPARQL 1.1 Protocol).",
        "fr": "Point d'accès pour les outils : {url} (protocole SPARQL 1.1).",
    },
    "sparql.service_description": {
        "en": "Service description (Turtle)",
        "fr": "Description du service (Turtle)",
    },
    "sparql.no_script": {
        "en": "Without JavaScript this plain form runs the query and shows the results below.",
        "fr": (
            "Sans JavaScript, ce formulaire simple exécute la requête et affiche les résultats "
            "dessous."
        ),
    },
    # SPARQL queries: no outbound connection, failures (issue 18, sparql/sandbox.py).
    "sparql.unchecked_clause": {
        "en": (
            "The query mentions {clause} and could not be checked, so it is refused: this "
            "service never opens connections for a query."
        ),
        "fr": (
            "La requête mentionne {clause} et n'a pas pu être vérifiée ; elle est donc refusée : "
            "ce service n'ouvre jamais de connexion pour une requête."
        ),
    },
    "sparql.worker_crashed": {
        "en": "The query stopped the process evaluating it; nothing was answered. Retry later.",
        "fr": (
            "La requête a arrêté le processus qui l'évaluait ; rien n'a été répondu. "
            "Réessayez plus tard."
        ),
    },
    "sparql.error.busy": {
        "en": "busy",
        "fr": "occupé",
    },
    "sparql.error.timeout": {
        "en": "timeout",
        "fr": "délai dépassé",
    },
    "sparql.error.not_a_query": {
        "en": "this is not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)",
        "fr": "ce n'est pas une requête SPARQL (SELECT, ASK, CONSTRUCT ou DESCRIBE)",
    },
    "sparql.error.ran_too_long": {
        "en": "the query ran for more than {seconds} s and was stopped",
        "fr": "la requête a tourné plus de {seconds} s et a été arrêtée",
    },
    "sparql.error.not_acceptable": {
        "en": "{offered}",
        "fr": "{offered}",
    },
    "sparql.error.forbidden_clause": {
        "en": "{clause}",
        "fr": "{clause}",
    },
    "sparql.error.evaluation": {
        "en": "{detail}",
        "fr": "{detail}",
    },
    "sparql.error.worker_stopped": {
        "en": "a query worker stopped unexpectedly",
        "fr": "un processus de requête s'est arrêté de façon inattendue",
    },
    "sparql.error.unexpected_reply": {
        "en": "unexpected reply from a query worker: {kind}",
        "fr": "réponse inattendue d'un processus de requête : {kind}",
    },
    "sparql.error.no_network_removal": {
        "en": "a query worker could not take the network away from itself: {reason}",
        "fr": "un processus de requête n'a pas pu se retirer l'accès au réseau : {reason}",
    },
    "sparql.error.no_libseccomp": {
        "en": "libseccomp is not available ({detail})",
        "fr": "libseccomp n'est pas disponible ({detail})",
    },
    "sparql.error.seccomp_init": {
        "en": "seccomp_init failed",
        "fr": "seccomp_init a échoué",
    },
    "sparql.error.seccomp_rule": {
        "en": "seccomp_rule_add({name}) failed: {code}",
        "fr": "seccomp_rule_add({name}) a échoué : {code}",
    },
    "sparql.error.no_socket_calls": {
        "en": "no socket system call is known on this architecture",
        "fr": "aucun appel système de socket n'est connu sur cette architecture",
    },
    "sparql.error.seccomp_refused": {
        "en": "the kernel refused the seccomp filter: {reason}",
        "fr": "le noyau a refusé le filtre seccomp : {reason}",
    },
    "sparql.error.broke_off": {
        "en": "the SPARQL server at {url} broke off its answer: {detail}",
        "fr": "le serveur SPARQL à {url} a interrompu sa réponse : {detail}",
    },
    "sparql.error.no_row_limit": {
        "en": "cannot apply the row limit to results in {media_type}",
        "fr": "impossible d'appliquer la limite de lignes à des résultats en {media_type}",
    },
    "sparql.error.unreadable": {
        "en": "the SPARQL server answered with unreadable {media_type}: {detail}",
        "fr": "le serveur SPARQL a répondu par du {media_type} illisible : {detail}",
    },
}
