"""The UK postcode areas: the town each is named after, and the nation it lies in.

Written for this project (facts of the Royal Mail postcode geography, no table copied), under
the project's licence. Areas that span a national border (or may: CA, CH, HR, LD, LL, NP, SY,
TD) have no nation: an address there is not given one. GY, JE and IM are the Crown
Dependencies (not part of the UK; their own "nation" here).
"""

from __future__ import annotations

# Area -> the post town or district it is named after.
AREA_NAMES = {
    "AB": "Aberdeen", "AL": "St Albans", "B": "Birmingham", "BA": "Bath", "BB": "Blackburn",
    "BD": "Bradford", "BH": "Bournemouth", "BL": "Bolton", "BN": "Brighton", "BR": "Bromley",
    "BS": "Bristol", "BT": "Belfast", "CA": "Carlisle", "CB": "Cambridge", "CF": "Cardiff",
    "CH": "Chester", "CM": "Chelmsford", "CO": "Colchester", "CR": "Croydon",
    "CT": "Canterbury", "CV": "Coventry", "CW": "Crewe", "DA": "Dartford", "DD": "Dundee",
    "DE": "Derby", "DG": "Dumfries", "DH": "Durham", "DL": "Darlington", "DN": "Doncaster",
    "DT": "Dorchester", "DY": "Dudley", "E": "East London", "EC": "East Central London",
    "EH": "Edinburgh", "EN": "Enfield", "EX": "Exeter", "FK": "Falkirk", "FY": "Blackpool",
    "G": "Glasgow", "GL": "Gloucester", "GU": "Guildford", "GY": "Guernsey", "HA": "Harrow",
    "HD": "Huddersfield", "HG": "Harrogate", "HP": "Hemel Hempstead", "HR": "Hereford",
    "HS": "Outer Hebrides", "HU": "Hull", "HX": "Halifax", "IG": "Ilford", "IM": "Isle of Man",
    "IP": "Ipswich", "IV": "Inverness", "JE": "Jersey", "KA": "Kilmarnock",
    "KT": "Kingston upon Thames", "KW": "Kirkwall", "KY": "Kirkcaldy", "L": "Liverpool",
    "LA": "Lancaster", "LD": "Llandrindod Wells", "LE": "Leicester", "LL": "Llandudno",
    "LN": "Lincoln", "LS": "Leeds", "LU": "Luton", "M": "Manchester", "ME": "Rochester",
    "MK": "Milton Keynes", "ML": "Motherwell", "N": "North London", "NE": "Newcastle upon Tyne",
    "NG": "Nottingham", "NN": "Northampton", "NP": "Newport", "NR": "Norwich",
    "NW": "North West London", "OL": "Oldham", "OX": "Oxford", "PA": "Paisley",
    "PE": "Peterborough",
    "PH": "Perth", "PL": "Plymouth", "PO": "Portsmouth", "PR": "Preston", "RG": "Reading",
    "RH": "Redhill", "RM": "Romford", "S": "Sheffield", "SA": "Swansea", "SE": "South East London",
    "SG": "Stevenage", "SK": "Stockport", "SL": "Slough", "SM": "Sutton", "SN": "Swindon",
    "SO": "Southampton", "SP": "Salisbury", "SR": "Sunderland", "SS": "Southend-on-Sea",
    "ST": "Stoke-on-Trent", "SW": "South West London", "SY": "Shrewsbury", "TA": "Taunton",
    "TD": "Galashiels", "TF": "Telford", "TN": "Tonbridge", "TQ": "Torquay", "TR": "Truro",
    "TS": "Cleveland", "TW": "Twickenham", "UB": "Southall", "W": "West London",
    "WA": "Warrington", "WC": "West Central London", "WD": "Watford", "WF": "Wakefield",
    "WN": "Wigan", "WR": "Worcester", "WS": "Walsall", "WV": "Wolverhampton", "YO": "York",
    "ZE": "Lerwick",
}  # fmt: skip

_SCOTLAND = frozenset(
    {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "ZE"}
)
_WALES = {"CF", "SA"}
_NORTHERN_IRELAND = {"BT"}
_CROWN = {"GY": "guernsey", "JE": "jersey", "IM": "isle-of-man"}
# Areas with addresses on both sides of a national border.
CROSS_BORDER = frozenset({"CA", "CH", "HR", "LD", "LL", "NP", "SY", "TD"})

NATION_NAMES = {
    "england": {"en": "England", "fr": "Angleterre"},
    "scotland": {"en": "Scotland", "fr": "Écosse"},
    "wales": {"en": "Wales", "fr": "Pays de Galles"},
    "northern-ireland": {"en": "Northern Ireland", "fr": "Irlande du Nord"},
    "guernsey": {"en": "Guernsey", "fr": "Guernesey"},
    "jersey": {"en": "Jersey", "fr": "Jersey"},
    "isle-of-man": {"en": "Isle of Man", "fr": "Île de Man"},
}


def nation_of_area(area: str) -> str | None:
    """The key of the nation postcode area `area` lies in, or None (unknown or cross-border)."""
    if area not in AREA_NAMES or area in CROSS_BORDER:
        return None
    if area in _SCOTLAND:
        return "scotland"
    if area in _WALES:
        return "wales"
    if area in _NORTHERN_IRELAND:
        return "northern-ireland"
    return _CROWN.get(area, "england")
