"""The English and French texts of the HTML pages (navigation, lists, forms, resource pages)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "site.name": {"en": "commons-graph", "fr": "commons-graph"},
    "site.tagline": {
        "en": "A linked-data knowledge graph of commons and of the actors around them.",
        "fr": "Un graphe de connaissances en données liées sur les communs et leurs acteurs.",
    },
    "site.skip": {"en": "Skip to content", "fr": "Aller au contenu"},
    "site.nav": {"en": "Main navigation", "fr": "Navigation principale"},
    "site.language": {"en": "Language", "fr": "Langue"},
    "site.licence": {
        "en": "The project's own data is published under the {licence} licence; imported "
        "datasets and vocabularies keep their own licences (see the dataset description).",
        "fr": "Les données propres au projet sont publiées sous la licence {licence} ; les jeux "
        "de données importés et les vocabulaires gardent leurs licences (voir la description "
        "du jeu de données).",
    },
    "site.data_as": {"en": "This data as", "fr": "Ces données en"},
    "site.downloads": {"en": "Downloads", "fr": "Téléchargements"},
    "site.dataset": {"en": "Dataset description (VoID)", "fr": "Description du jeu (VoID)"},
    "nav.home": {"en": "Home", "fr": "Accueil"},
    "nav.search": {"en": "Search", "fr": "Recherche"},
    "nav.sparql": {"en": "SPARQL", "fr": "SPARQL"},
    "nav.ontology": {"en": "Ontology", "fr": "Ontologie"},
    "kind.organisations": {"en": "Organisations", "fr": "Organisations"},
    "kind.commons": {"en": "Commons", "fr": "Communs"},
    "kind.projects": {"en": "Projects", "fr": "Projets"},
    "kind.events": {"en": "Events", "fr": "Événements"},
    "kind.values": {"en": "Values", "fr": "Valeurs"},
    "kind.themes": {"en": "Themes", "fr": "Thèmes"},
    "kind.topics": {"en": "Topics", "fr": "Sujets"},
    "home.title": {"en": "The commons and their actors", "fr": "Les communs et leurs acteurs"},
    "home.intro": {
        "en": "commons-graph links organisations, the commons they steward, contribute to and "
        "use, their values, themes, projects and events. Everything here is linked data: "
        "browse it, search it, query it with SPARQL or download it.",
        "fr": "commons-graph relie les organisations, les communs dont elles prennent soin, "
        "auxquels elles contribuent et qu'elles utilisent, leurs valeurs, thèmes, projets et "
        "événements. Tout ici est en données liées : parcourez, cherchez, interrogez en SPARQL "
        "ou téléchargez.",
    },
    "home.counts": {"en": "In the network", "fr": "Dans le réseau"},
    "home.schemes": {"en": "Vocabularies", "fr": "Vocabulaires"},
    "home.entry_points": {"en": "For tools", "fr": "Pour les outils"},
    "home.sparql": {
        "en": "Query everything with SPARQL",
        "fr": "Tout interroger en SPARQL",
    },
    "search.title": {"en": "Search", "fr": "Recherche"},
    "search.label": {"en": "Search the network", "fr": "Chercher dans le réseau"},
    "search.button": {"en": "Search", "fr": "Chercher"},
    "search.results": {
        "en": "{count} results for “{text}”",
        "fr": "{count} résultats pour « {text} »",
    },
    "search.none": {"en": "Nothing matches “{text}”.", "fr": "Rien ne correspond à « {text} »."},
    "list.showing": {
        "en": "{first}–{last} of {total}",
        "fr": "{first} à {last} sur {total}",
    },
    "list.empty": {"en": "Nothing to list here.", "fr": "Rien à afficher ici."},
    "list.filters": {"en": "Filter", "fr": "Filtrer"},
    "list.clear": {"en": "Clear filters", "fr": "Retirer les filtres"},
    "list.pages": {"en": "Pages", "fr": "Pages"},
    "list.previous": {"en": "Previous page", "fr": "Page précédente"},
    "list.next": {"en": "Next page", "fr": "Page suivante"},
    "list.page_of": {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"},
    "facet.value": {"en": "Values", "fr": "Valeurs"},
    "facet.theme": {"en": "Themes", "fr": "Thèmes"},
    "facet.kind": {"en": "Kind", "fr": "Type"},
    "facet.topic": {"en": "Topics", "fr": "Sujets"},
    "facet.activity": {"en": "Activity (ESSGlobal)", "fr": "Activité (ESSGlobal)"},
    "facet.sector": {"en": "Sector", "fr": "Secteur"},
    "facet.structure": {"en": "Organisational structure", "fr": "Structure organisationnelle"},
    "facet.membership": {"en": "Membership type", "fr": "Type de sociétariat"},
    "facet.legal_form": {"en": "Legal form", "fr": "Forme juridique"},
    "facet.qualifier": {"en": "Qualifiers", "fr": "Qualificatifs"},
    "facet.industry": {
        "en": "Industry (UK SIC 2007)",
        "fr": "Activité économique (SIC 2007 du Royaume-Uni)",
    },
    "facet.ownership": {"en": "Ownership", "fr": "Propriété"},
    "facet.dataset": {"en": "Dataset", "fr": "Jeu de données"},
    "facet.country": {"en": "Country", "fr": "Pays"},
    "facet.nation": {"en": "Nation (from the postcode)", "fr": "Nation (d'après le code postal)"},
    "facet.region": {"en": "Region", "fr": "Région"},
    "facet.locality": {"en": "Locality", "fr": "Localité"},
    "facet.postcode_area": {"en": "Postcode area", "fr": "Zone postale"},
    "list.facet_help": {
        "en": "Several values of one filter: any of them; several filters: all of them.",
        "fr": "Plusieurs valeurs d'un filtre : l'une d'elles ; plusieurs filtres : tous.",
    },
    "list.export": {
        "en": "Download these {total} results:",
        "fr": "Télécharger ces {total} résultats :",
    },
    "resource.kinds": {"en": "Kind", "fr": "Type"},
    "resource.facts": {"en": "Facts", "fr": "Faits"},
    "resource.iri": {"en": "Identifier (IRI)", "fr": "Identifiant (IRI)"},
    "resource.history": {
        "en": "History of changes to this description",
        "fr": "Historique des modifications de cette description",
    },
    "resource.truncated": {
        "en": "Only the first {count} incoming links are shown; query SPARQL for all.",
        "fr": "Seuls les {count} premiers liens entrants sont montrés ; interrogez SPARQL pour "
        "tous les voir.",
    },
    "resource.sources": {"en": "Sources and licences", "fr": "Sources et licences"},
    "resource.source": {
        "en": "From the dataset {title}, under the licence {licence}.",
        "fr": "Issu du jeu de données {title}, sous la licence {licence}.",
    },
    "resource.attribution": {"en": "Attribution: {name}", "fr": "Attribution : {name}"},
    "resource.is_of": {"en": "is “{label}” of", "fr": "est « {label} » de"},
    "group.values": {"en": "Values", "fr": "Valeurs"},
    "group.themes": {"en": "Themes and topics", "fr": "Thèmes et sujets"},
    "group.commons_kind": {"en": "Kind of commons", "fr": "Type de commun"},
    "group.stewards": {"en": "Commons it stewards", "fr": "Communs dont il prend soin"},
    "group.contributes_to": {
        "en": "Commons it contributes to",
        "fr": "Communs auxquels il contribue",
    },
    "group.uses": {"en": "Commons it uses", "fr": "Communs qu'il utilise"},
    "group.stewarded_by": {"en": "Stewarded by", "fr": "Pris en soin par"},
    "group.contributors": {"en": "Contributors", "fr": "Contributeurs"},
    "group.used_by": {"en": "Used by", "fr": "Utilisé par"},
    "group.member_of": {"en": "Member of", "fr": "Membre de"},
    "group.members": {"en": "Members", "fr": "Membres"},
    "group.partners": {"en": "Partners", "fr": "Partenaires"},
    "group.part_of": {"en": "Part of", "fr": "Fait partie de"},
    "group.sub_organisations": {"en": "Sub-organisations", "fr": "Sous-organisations"},
    "group.organises": {"en": "Events it organises", "fr": "Événements qu'il organise"},
    "group.takes_part_in": {
        "en": "Events it takes part in",
        "fr": "Événements auxquels il participe",
    },
    "group.organised_by": {"en": "Organised by", "fr": "Organisé par"},
    "group.participants": {"en": "Participants", "fr": "Participants"},
    "group.place": {"en": "Place", "fr": "Lieu"},
    "group.happens_here": {"en": "Events here", "fr": "Événements ici"},
    "group.founded_here": {"en": "Founded here", "fr": "Fondés ici"},
    "group.held_by": {"en": "Held by", "fr": "Portée par"},
    "group.worked_on_by": {"en": "Worked on by", "fr": "Travaillé par"},
    "group.commons_of_kind": {"en": "Commons of this kind", "fr": "Communs de ce type"},
    "group.codesocial": {"en": "#CodeSocial", "fr": "#CodeSocial"},
    "group.codesocial_of": {"en": "#CodeSocial of", "fr": "#CodeSocial de"},
    "group.principles": {"en": "Principles about it", "fr": "Principes qui s'y rapportent"},
    "group.in_scheme": {"en": "In the vocabulary", "fr": "Dans le vocabulaire"},
    "group.concepts": {"en": "Concepts", "fr": "Concepts"},
    "group.broader": {"en": "Broader", "fr": "Plus général"},
    "group.narrower": {"en": "Narrower", "fr": "Plus précis"},
    "group.related": {"en": "Related", "fr": "Apparenté"},
    "prop.dcterms:description": {"en": "Description", "fr": "Description"},
    "prop.schema:foundingDate": {"en": "Founded", "fr": "Fondation"},
    "prop.schema:startDate": {"en": "Start", "fr": "Début"},
    "prop.schema:endDate": {"en": "End", "fr": "Fin"},
    "prop.org:purpose": {"en": "Purpose", "fr": "But"},
    "prop.org:identifier": {"en": "Identifier", "fr": "Identifiant"},
    "prop.foaf:homepage": {"en": "Website", "fr": "Site web"},
    "prop.owl:sameAs": {"en": "Same as", "fr": "Identique à"},
    "prop.rdfs:seeAlso": {"en": "See also", "fr": "Voir aussi"},
    "prop.skos:altLabel": {"en": "Also called", "fr": "Aussi appelé"},
    "prop.skos:editorialNote": {"en": "Editorial note", "fr": "Note éditoriale"},
    "prop.skos:relatedMatch": {"en": "Related elsewhere", "fr": "Apparenté ailleurs"},
    "prop.skos:closeMatch": {"en": "Close match", "fr": "Correspondance proche"},
    "prop.skos:exactMatch": {"en": "Exact match", "fr": "Correspondance exacte"},
    "prop.dcterms:date": {"en": "Date", "fr": "Date"},
    "prop.dcterms:modified": {"en": "Modified", "fr": "Modifié"},
    "prop.dcterms:license": {"en": "Licence", "fr": "Licence"},
    "ontology.classes": {"en": "Classes", "fr": "Classes"},
    "ontology.properties": {"en": "Properties", "fr": "Propriétés"},
    "ontology.domain": {"en": "Domain", "fr": "Domaine"},
    "ontology.range": {"en": "Range", "fr": "Portée"},
    "ontology.alignments": {"en": "Alignments", "fr": "Alignements"},
    "ontology.kinds": {"en": "Type", "fr": "Type"},
    "ontology.version": {"en": "Version", "fr": "Version"},
    "ontology.other_language": {"en": "In French", "fr": "En anglais"},
    "ontology.contents": {"en": "Contents", "fr": "Sommaire"},
    "scheme.concepts": {"en": "Concepts", "fr": "Concepts"},
    "void.title": {"en": "Dataset description", "fr": "Description du jeu de données"},
    "void.statistics": {"en": "Statistics", "fr": "Statistiques"},
    "void.triples": {"en": "Triples", "fr": "Triplets"},
    "void.entities": {"en": "Entities", "fr": "Entités"},
    "void.classes": {"en": "Classes", "fr": "Classes"},
    "void.properties": {"en": "Properties", "fr": "Propriétés"},
    "void.dumps": {"en": "Dumps", "fr": "Exports complets"},
    "void.subsets": {"en": "Sources and their licences", "fr": "Sources et leurs licences"},
    "void.collection": {
        "en": "This dataset is a collection under several licences: each source below keeps its "
        "own, which reuse of its statements must follow.",
        "fr": "Ce jeu de données est une collection sous plusieurs licences : chaque source "
        "ci-dessous garde la sienne, que toute réutilisation de ses données doit respecter.",
    },
    "void.statements": {"en": "statements", "fr": "déclarations"},
    "void.version": {
        "en": "Version of the data (named by every dump)",
        "fr": "Version des données (nommée par chaque export)",
    },
    "void.endpoint": {"en": "SPARQL endpoint", "fr": "Point d'accès SPARQL"},
    "error.title": {"en": "Error {status}", "fr": "Erreur {status}"},
    "error.back_home": {"en": "Back to the home page", "fr": "Retour à l'accueil"},
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
}
