"""English and French texts, and choosing the language of a request."""

from __future__ import annotations

LANGUAGES = ("en", "fr")

# Every user-facing message, keyed by a stable name; tests check each has both languages.
MESSAGES: dict[str, dict[str, str]] = {
    "error.not_found": {
        "en": "Nothing is known at this address.",
        "fr": "Rien n'est connu à cette adresse.",
    },
    "error.internal": {
        "en": "Something went wrong on our side; the error has been logged.",
        "fr": "Une erreur s'est produite de notre côté ; elle a été journalisée.",
    },
    "error.method_not_allowed": {
        "en": "This method is not allowed here.",
        "fr": "Cette méthode n'est pas permise ici.",
    },
    "error.bad_request": {
        "en": "The request is not valid: {detail}",
        "fr": "La requête n'est pas valide : {detail}",
    },
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
    # Contributions, members, history (docs/contributions.md).
    "contribution.unauthorised": {
        "en": "Sign in, or send your member token as `Authorization: Bearer TOKEN`.",
        "fr": "Connectez-vous, ou envoyez votre jeton de membre en `Authorization: Bearer JETON`.",
    },
    "contribution.media_type": {
        "en": "Cannot read a contribution of type {media_type}; send one of: {accepted}.",
        "fr": (
            "Impossible de lire une contribution de type {media_type} ; envoyez l'un de : "
            "{accepted}."
        ),
    },
    "contribution.too_large": {
        "en": "The contribution is larger than {limit} bytes.",
        "fr": "La contribution dépasse {limit} octets.",
    },
    "contribution.syntax": {
        "en": "The contribution does not parse: {detail}",
        "fr": "La contribution ne peut pas être lue : {detail}",
    },
    "contribution.remote_context": {
        "en": (
            "JSON-LD context {context} is not allowed: contexts are never fetched; use the "
            "bundled one or write the context inline."
        ),
        "fr": (
            "Le contexte JSON-LD {context} n'est pas permis : les contextes ne sont jamais "
            "téléchargés ; utilisez celui fourni ou écrivez le contexte dans le document."
        ),
    },
    "contribution.named_graphs": {
        "en": "A contribution is one graph: named graphs are not accepted.",
        "fr": "Une contribution est un seul graphe : les graphes nommés ne sont pas acceptés.",
    },
    "contribution.empty": {
        "en": "The contribution holds no statement.",
        "fr": "La contribution ne contient aucun énoncé.",
    },
    "contribution.shapes_refused": {
        "en": (
            "Contributions are checked against the service's own shapes: SHACL statements are not"
            " accepted."
        ),
        "fr": (
            "Les contributions sont vérifiées avec les formes du service : les énoncés SHACL ne "
            "sont pas acceptés."
        ),
    },
    "contribution.forbidden": {
        "en": "You may not change the description of: {resources}.",
        "fr": "Vous ne pouvez pas modifier la description de : {resources}.",
    },
    "contribution.forbidden_subject": {
        "en": (
            "{resource} is described by another organisation or by the shared data: you may link "
            "to it, not change it."
        ),
        "fr": (
            "{resource} est décrit par une autre organisation ou par les données communes : vous "
            "pouvez y faire référence, pas le modifier."
        ),
    },
    "contribution.forbidden_namespace": {
        "en": "{resource} is new: new resources must have an address under {namespace}.",
        "fr": (
            "{resource} est nouveau : une nouvelle ressource doit avoir une adresse sous "
            "{namespace}."
        ),
    },
    # Who may write what (contributions/authorise.py).
    "contribution.forbidden_version": {
        "en": (
            "{resource} is a published #CodeSocial version (or lies under one): only publishing "
            "writes it."
        ),
        "fr": (
            "{resource} est une version publiée d'un #CodeSocial (ou en fait partie) : seule la "
            "publication l'écrit."
        ),
    },
    "contribution.forbidden_same_as": {
        "en": (
            "{resource} belongs to someone else: owl:sameAs would change its description too. "
            "Link to it with another property."
        ),
        "fr": (
            "{resource} appartient à quelqu'un d'autre : owl:sameAs modifierait aussi sa "
            "description. Faites-y référence par une autre propriété."
        ),
    },
    "contribution.forbidden_codesocial_of": {
        "en": "{resource} is not yours: you may only write a #CodeSocial for what you may change.",
        "fr": (
            "{resource} ne vous appartient pas : vous ne pouvez écrire un #CodeSocial que pour ce "
            "que vous pouvez modifier."
        ),
    },
    "contribution.forbidden_publication": {
        "en": (
            "Only members of the organisation this #CodeSocial belongs to (or administrators) may "
            "publish {resource}."
        ),
        "fr": (
            "Seuls les membres de l'organisation à qui appartient ce #CodeSocial (ou les "
            "administrateurs) peuvent publier {resource}."
        ),
    },
    "contribution.forbidden_claim_decision": {
        "en": "Only administrators may approve or reject a claim ({resource}).",
        "fr": "Seuls les administrateurs peuvent accepter ou refuser une demande ({resource}).",
    },
    "contribution.forbidden_fragment": {
        "en": (
            "{resource} is part of a resource that does not exist yet: describe that resource in "
            "the same contribution."
        ),
        "fr": (
            "{resource} fait partie d'une ressource qui n'existe pas encore : décrivez cette "
            "ressource dans la même contribution."
        ),
    },
    "contribution.forbidden_organisation": {
        "en": "You do not speak for {resource}.",
        "fr": "Vous ne parlez pas au nom de {resource}.",
    },
    "contribution.invalid": {
        "en": "The contribution does not conform to the shapes; nothing was stored.",
        "fr": "La contribution n'est pas conforme aux formes ; rien n'a été enregistré.",
    },
    "contribution.idempotency_mismatch": {
        "en": "Idempotency-Key {idempotency_key} was already used for a different request.",
        "fr": "La clé Idempotency-Key {idempotency_key} a déjà servi pour une autre requête.",
    },
    "contribution.not_your_organisation": {
        "en": "You do not speak for {organisation}.",
        "fr": "Vous ne parlez pas au nom de {organisation}.",
    },
    "contribution.not_found": {
        "en": "No contribution {id}.",
        "fr": "Aucune contribution {id}.",
    },
    "contribution.not_owner": {
        "en": "Contribution {id} belongs to another organisation.",
        "fr": "La contribution {id} appartient à une autre organisation.",
    },
    "contribution.already_retracted": {
        "en": "This contribution is already withdrawn.",
        "fr": "Cette contribution est déjà retirée.",
    },
    "contribution.bad_version": {
        "en": "There is no earlier version {version} to go back to.",
        "fr": "Il n'existe pas de version antérieure {version} à rétablir.",
    },
    "contribution.csrf": {
        "en": "The form has expired or did not come from this site; reload it and try again.",
        "fr": "Le formulaire a expiré ou ne vient pas de ce site ; rechargez-le et réessayez.",
    },
    "contribution.field_required": {
        "en": "Fill in this field.",
        "fr": "Remplissez ce champ.",
    },
    "member.signin_failed": {
        "en": "This token or password is not valid.",
        "fr": "Ce jeton ou ce mot de passe n'est pas valide.",
    },
    # Accounts, sessions and rate limits (issue 17).
    "rate.limited": {
        "en": "Too many requests from this client or member: try again in {seconds} seconds.",
        "fr": "Trop de requêtes de ce client ou de ce membre : réessayez dans {seconds} secondes.",
    },
    "rate.limited_signin": {
        "en": "Too many sign-in attempts: try again in {seconds} seconds.",
        "fr": "Trop de tentatives de connexion : réessayez dans {seconds} secondes.",
    },
    "ui.signin": {
        "en": "Sign in",
        "fr": "Se connecter",
    },
    "ui.signout": {
        "en": "Sign out",
        "fr": "Se déconnecter",
    },
    "ui.signin_intro": {
        "en": (
            "Members sign in with the token an administrator gave them, or with their e-mail "
            "address and a password they set."
        ),
        "fr": (
            "Les membres se connectent avec le jeton qu'un administrateur leur a remis, ou avec "
            "leur adresse électronique et un mot de passe qu'ils ont choisi."
        ),
    },
    "ui.token": {
        "en": "Member token",
        "fr": "Jeton de membre",
    },
    "ui.email": {
        "en": "E-mail address",
        "fr": "Adresse électronique",
    },
    "ui.password": {
        "en": "Password",
        "fr": "Mot de passe",
    },
    "ui.or": {
        "en": "or",
        "fr": "ou",
    },
    "ui.set_password": {
        "en": "Set a password",
        "fr": "Choisir un mot de passe",
    },
    "ui.password_set": {
        "en": "Your password is set.",
        "fr": "Votre mot de passe est enregistré.",
    },
    "ui.member": {
        "en": "Member",
        "fr": "Membre",
    },
    "ui.my_account": {
        "en": "My account",
        "fr": "Mon compte",
    },
    "ui.organisation": {
        "en": "Organisation",
        "fr": "Organisation",
    },
    "ui.organisations": {
        "en": "Organisations I speak for",
        "fr": "Organisations au nom desquelles je parle",
    },
    "ui.claims": {
        "en": "Claims",
        "fr": "Revendications",
    },
    "ui.claim_intro": {
        "en": (
            "Claim an organisation imported from open data to describe it; an administrator "
            "approves the claim."
        ),
        "fr": (
            "Revendiquez une organisation importée de données ouvertes pour la décrire ; un "
            "administrateur approuve la revendication."
        ),
    },
    "ui.claim": {
        "en": "Claim",
        "fr": "Revendiquer",
    },
    "ui.claim_note": {
        "en": "Why (optional)",
        "fr": "Pourquoi (facultatif)",
    },
    "ui.approve": {
        "en": "Approve",
        "fr": "Approuver",
    },
    "ui.reject": {
        "en": "Reject",
        "fr": "Refuser",
    },
    "ui.pending_claims": {
        "en": "Claims waiting for a decision",
        "fr": "Revendications en attente",
    },
    "ui.status": {
        "en": "Status",
        "fr": "État",
    },
    "ui.contribute": {
        "en": "Contribute",
        "fr": "Contribuer",
    },
    "ui.contribute_title": {
        "en": "Describe {organisation} and link it to commons",
        "fr": "Décrire {organisation} et la relier à des communs",
    },
    "ui.contribute_intro": {
        "en": (
            "Everything you fill in becomes one contribution in the name of your organisation, "
            "checked against the shapes and recorded with its history. Empty fields are left out."
        ),
        "fr": (
            "Tout ce que vous remplissez devient une contribution au nom de votre organisation, "
            "vérifiée avec les formes et enregistrée avec son historique. Les champs vides sont "
            "ignorés."
        ),
    },
    "ui.section_organisation": {
        "en": "My organisation",
        "fr": "Mon organisation",
    },
    "ui.section_commons": {
        "en": "A new commons",
        "fr": "Un nouveau commun",
    },
    "ui.section_commons_intro": {
        "en": (
            "To link your organisation to a commons that is not listed yet, describe it here; it "
            "is linked with the relation you choose."
        ),
        "fr": (
            "Pour relier votre organisation à un commun qui n'est pas encore listé, décrivez-le "
            "ici ; il est relié avec la relation que vous choisissez."
        ),
    },
    "ui.section_project": {
        "en": "A new project",
        "fr": "Un nouveau projet",
    },
    "ui.section_event": {
        "en": "A new event",
        "fr": "Un nouvel événement",
    },
    "ui.relation": {
        "en": "Relation of my organisation to it",
        "fr": "Relation de mon organisation avec lui",
    },
    "ui.language": {
        "en": "language",
        "fr": "langue",
    },
    "ui.comment": {
        "en": "Comment on this change (optional)",
        "fr": "Commentaire sur cette modification (facultatif)",
    },
    "ui.submit": {
        "en": "Submit the contribution",
        "fr": "Envoyer la contribution",
    },
    "ui.form_has_errors": {
        "en": "The contribution was not stored: correct the fields marked below.",
        "fr": "La contribution n'a pas été enregistrée : corrigez les champs signalés ci-dessous.",
    },
    "ui.other_errors": {
        "en": "Other problems",
        "fr": "Autres problèmes",
    },
    "ui.contribution": {
        "en": "Contribution",
        "fr": "Contribution",
    },
    "ui.contribution_stored": {
        "en": "The contribution was stored.",
        "fr": "La contribution a été enregistrée.",
    },
    "ui.contributions": {
        "en": "Contributions",
        "fr": "Contributions",
    },
    "ui.version": {
        "en": "Version",
        "fr": "Version",
    },
    "ui.withdrawn": {
        "en": "withdrawn",
        "fr": "retirée",
    },
    "ui.current": {
        "en": "current",
        "fr": "en vigueur",
    },
    "ui.statements": {
        "en": "Statements",
        "fr": "Énoncés",
    },
    "ui.revert": {
        "en": "Revert the latest change",
        "fr": "Annuler la dernière modification",
    },
    "ui.withdraw": {
        "en": "Withdraw",
        "fr": "Retirer",
    },
    "ui.history": {
        "en": "History",
        "fr": "Historique",
    },
    "ui.history_of": {
        "en": "History of {resource}",
        "fr": "Historique de {resource}",
    },
    "ui.history_empty": {
        "en": "No contribution has changed this yet.",
        "fr": "Aucune contribution n'a encore modifié ceci.",
    },
    "ui.who": {
        "en": "Who",
        "fr": "Qui",
    },
    "ui.when": {
        "en": "When",
        "fr": "Quand",
    },
    "ui.added": {
        "en": "Added",
        "fr": "Ajouté",
    },
    "ui.removed": {
        "en": "Removed",
        "fr": "Retiré",
    },
    "ui.on_behalf_of": {
        "en": "for",
        "fr": "pour",
    },
    "ui.links": {
        "en": "Links to other organisations",
        "fr": "Liens vers d'autres organisations",
    },
    "ui.confirmed": {
        "en": "confirmed",
        "fr": "confirmé",
    },
    "ui.unconfirmed": {
        "en": "not confirmed yet",
        "fr": "pas encore confirmé",
    },
    "ui.choose": {
        "en": "— choose —",
        "fr": "— choisir —",
    },
    "ui.this_data_as": {
        "en": "This history as",
        "fr": "Cet historique en",
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
    # Bounds on a contribution's work (contributions/parsing.py, rdf/hashing.py).
    "contribution.too_many_statements": {
        "en": "The contribution holds more than {limit} statements (max_contribution_statements).",
        "fr": "La contribution contient plus de {limit} énoncés (max_contribution_statements).",
    },
    "contribution.too_many_blank_nodes": {
        "en": (
            "The contribution holds more than {limit} blank nodes "
            "(max_contribution_blank_nodes): give some of them IRIs."
        ),
        "fr": (
            "La contribution contient plus de {limit} nœuds anonymes "
            "(max_contribution_blank_nodes) : donnez des IRI à certains d’entre eux."
        ),
    },
    "contribution.too_deep": {
        "en": (
            "The contribution nests brackets more than {limit} levels deep "
            "(max_contribution_depth)."
        ),
        "fr": (
            "La contribution imbrique des crochets sur plus de {limit} niveaux "
            "(max_contribution_depth)."
        ),
    },
    "contribution.triple_terms": {
        "en": "Triple terms (RDF 1.2, << … >>) are not accepted in a contribution.",
        "fr": "Les triplets cités (RDF 1.2, << … >>) ne sont pas acceptés dans une contribution.",
    },
    "contribution.too_hard_to_hash": {
        "en": (
            "The contribution's blank nodes are too alike to be told apart within {seconds} s "
            "(cycles or many look-alike nodes): give them IRIs or statements that distinguish them."
        ),
        "fr": (
            "Les nœuds anonymes de la contribution se ressemblent trop pour être distingués en "
            "{seconds} s (cycles ou nombreux nœuds semblables) : donnez-leur des IRI ou des "
            "énoncés qui les distinguent."
        ),
    },
}


def translate(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang` (English when missing), with `values` filled in."""
    texts = MESSAGES[key]
    return texts.get(lang, texts["en"]).format(**values)


def negotiate_language(accept_language: str | None, default: str = "en") -> str:
    """The best of English and French for an Accept-Language header (RFC 9110 q-values)."""
    if not accept_language:
        return default
    best, best_q = default, 0.0
    for position, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary == "*":
            primary = default
        # Earlier items win ties, as browsers list preferences in order.
        if primary in LANGUAGES and q > best_q and not (q == best_q and position):
            best, best_q = primary, q
    return best


def _merge_codesocial_messages() -> None:
    """Add the #CodeSocial texts (kept in their own module) to MESSAGES."""
    from commons_graph.codesocial.messages import CODESOCIAL_MESSAGES

    MESSAGES.update(CODESOCIAL_MESSAGES)


_merge_codesocial_messages()
