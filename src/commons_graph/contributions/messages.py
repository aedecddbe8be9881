"""The English and French texts of contributions: refusals, receipts, history."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
    "contribution.forbidden_spelling": {
        "en": (
            "{resource} is new and not written the plain way: new addresses under {namespace} "
            "have no percent-escapes, empty segments, `.` or `..`, so that none can pass for "
            "another."
        ),
        "fr": (
            "{resource} est nouveau et n'est pas écrit simplement : une nouvelle adresse sous "
            "{namespace} n'a ni échappement %, ni segment vide, ni `.` ou `..`, pour qu'aucune "
            "ne puisse passer pour une autre."
        ),
    },
    "contribution.forbidden_derived": {
        "en": (
            "{resource}: related-to links (cg:relatedTo) are derived by the service from shared "
            "facts, never stated; to confirm one, state a partnership (cg:partnerOf)."
        ),
        "fr": (
            "{resource} : les liens « en lien avec » (cg:relatedTo) sont calculés par le service "
            "à partir de faits partagés, jamais énoncés ; pour en confirmer un, énoncez un "
            "partenariat (cg:partnerOf)."
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
