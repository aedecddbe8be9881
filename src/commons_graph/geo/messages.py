"""The English and French texts of the map and the small maps of resource pages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "map.title": {"en": "Map", "fr": "Carte"},
    "map.nav": {"en": "Map", "fr": "Carte"},
    "map.intro": {
        "en": "Every located organisation of the network on one map. Filters are those of "
        "the list.",
        "fr": "Toutes les organisations localisées du réseau sur une carte. Les filtres sont "
        "ceux de la liste.",
    },
    "map.count": {
        "en": "{located} of {total} organisations have a location.",
        "fr": "{located} organisations sur {total} ont une localisation.",
    },
    "map.region": {"en": "Map of the organisations", "fr": "Carte des organisations"},
    "map.no_script": {
        "en": "The map needs JavaScript. The same organisations are in the list and as GeoJSON:",
        "fr": "La carte demande JavaScript. Les mêmes organisations sont dans la liste et en "
        "GeoJSON :",
    },
    "map.as_list": {"en": "as a list", "fr": "en liste"},
    "map.as_geojson": {"en": "GeoJSON (for GIS tools)", "fr": "GeoJSON (pour les outils SIG)"},
    "map.tiles": {"en": "Map tiles:", "fr": "Fond de carte :"},
    "map.no_tiles": {
        "en": "No background map is configured: points are shown on a plain background.",
        "fr": "Aucun fond de carte n'est configuré : les points sont sur un fond uni.",
    },
    "map.privacy": {
        "en": "Your browser fetches the background map from {host}.",
        "fr": "Votre navigateur charge le fond de carte depuis {host}.",
    },
    "map.location": {"en": "Location", "fr": "Localisation"},
    "map.coordinates": {
        "en": "Latitude {lat}, longitude {lon}",
        "fr": "Latitude {lat}, longitude {lon}",
    },
    "map.on_map": {"en": "See on the map", "fr": "Voir sur la carte"},
    "map.minimap": {"en": "Map of {label}", "fr": "Carte : {label}"},
    "geo.error.unknown_property": {
        "en": "no GeoJSON property is called {name!r}; there are: {known}",
        "fr": "aucune propriété GeoJSON ne s'appelle {name!r} ; il y a : {known}",
    },
}
