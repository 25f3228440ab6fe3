"""Curated canonical names for entities the news names in many ways.

Keys are case-folded surface forms (after stripping a leading 'the' and a possessive);
values are (canonical name, entity type). Only unambiguous forms belong here: precision
first, a wrong merge is worse than a missed one.
"""

_GROUPS: list[tuple[str, str, list[str]]] = [
    (
        "United States",
        "GPE",
        ["us", "u.s.", "u.s", "usa", "u.s.a.", "united states", "united states of america", "america"],
    ),
    ("United Kingdom", "GPE", ["uk", "u.k.", "united kingdom", "britain", "great britain"]),
    (
        "North Korea",
        "GPE",
        [
            "north korea",
            "dprk",
            "d.p.r.k.",
            "democratic people's republic of korea",
            "democratic peoples republic of korea",
        ],
    ),
    ("South Korea", "GPE", ["south korea", "republic of korea", "rok"]),
    ("China", "GPE", ["china", "prc", "people's republic of china", "mainland china"]),
    ("Russia", "GPE", ["russia", "russian federation"]),
    ("United Arab Emirates", "GPE", ["uae", "u.a.e.", "united arab emirates"]),
    ("European Union", "ORG", ["eu", "e.u.", "european union"]),
    ("United Nations", "ORG", ["un", "u.n.", "united nations"]),
    (
        "UN Security Council",
        "ORG",
        ["un security council", "u.n. security council", "united nations security council", "security council"],
    ),
    ("NATO", "ORG", ["nato", "north atlantic treaty organization", "north atlantic treaty organisation"]),
    ("World Health Organization", "ORG", ["who", "world health organization", "world health organisation"]),
    ("International Monetary Fund", "ORG", ["imf", "international monetary fund"]),
    ("Federal Bureau of Investigation", "ORG", ["fbi", "federal bureau of investigation"]),
    ("Central Intelligence Agency", "ORG", ["cia", "central intelligence agency"]),
    ("Democratic Party", "ORG", ["democratic party", "democrats"]),
    ("Republican Party", "ORG", ["republican party", "gop", "republicans"]),
    ("White House", "ORG", ["white house"]),
    ("Pentagon", "ORG", ["pentagon"]),
    ("Kremlin", "ORG", ["kremlin"]),
    (
        "Joe Biden",
        "PERSON",
        ["biden", "joe biden", "joseph biden", "joseph r. biden", "joseph r. biden jr.", "president biden"],
    ),
    ("Donald Trump", "PERSON", ["trump", "donald trump", "donald j. trump", "president trump"]),
    ("Barack Obama", "PERSON", ["obama", "barack obama", "president obama"]),
    ("Hillary Clinton", "PERSON", ["hillary clinton", "hillary rodham clinton", "hillary"]),
    ("Vladimir Putin", "PERSON", ["putin", "vladimir putin"]),
    ("Xi Jinping", "PERSON", ["xi", "xi jinping", "president xi"]),
    ("Kim Jong Un", "PERSON", ["kim jong un", "kim jong-un", "kim jong-un's"]),
    ("Volodymyr Zelensky", "PERSON", ["zelensky", "zelenskyy", "volodymyr zelensky", "volodymyr zelenskyy"]),
    ("Emmanuel Macron", "PERSON", ["macron", "emmanuel macron"]),
    ("Narendra Modi", "PERSON", ["modi", "narendra modi"]),
]

ALIASES: dict[str, tuple[str, str]] = {
    form: (canonical, label) for canonical, label, forms in _GROUPS for form in forms
}
