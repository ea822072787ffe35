"""The forms an English word may be listed under in a dictionary.

Dictionaries list an English word once, in its base form and one spelling: "child", not
"children"; "pay", not "paid"; "center" or "centre", whichever its editors write. The other
languages have lemma tables that give a form's base form; English has none here, and finding
the listed word by the longest shared beginning takes "partner" for "part" and "bread" for
"break". So the base forms are made by English's own rules instead — plural and verb endings
taken off (with the final "e" they dropped and the consonant they doubled), "-ies" and "-ied"
back to "-y", "-ves" to "-f" and "-fe", the common irregular nouns and verbs — and each is
also written in the other spelling (British "-re", "-our", "-ise", "-isation", "-lled" against
American "-er", "-or", "-ize", "-ization", "-led"). Most of these guesses are no words at all:
the caller keeps those a dictionary lists.
"""

from __future__ import annotations

from functools import lru_cache

from ..text.terms import stopwords

#: Irregular plurals, to their singular: a stemmer does not join them ("children", "child").
PLURALS = {
    "children": "child",
    "people": "person",
    "men": "man",
    "women": "woman",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "analyses": "analysis",
    "crises": "crisis",
    "bases": "basis",
    "theses": "thesis",
    "hypotheses": "hypothesis",
    "indices": "index",
}
#: Irregular plurals and verb forms, to their base form: the words people use most.
IRREGULAR = {
    **PLURALS,
    "said": "say",
    "paid": "pay",
    "laid": "lay",
    "made": "make",
    "went": "go",
    "gone": "go",
    "did": "do",
    "done": "do",
    "had": "have",
    "got": "get",
    "gotten": "get",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "found": "find",
    "thought": "think",
    "told": "tell",
    "became": "become",
    "left": "leave",
    "felt": "feel",
    "brought": "bring",
    "began": "begin",
    "begun": "begin",
    "kept": "keep",
    "held": "hold",
    "wrote": "write",
    "written": "write",
    "stood": "stand",
    "understood": "understand",
    "heard": "hear",
    "meant": "mean",
    "met": "meet",
    "ran": "run",
    "sat": "sit",
    "spoke": "speak",
    "spoken": "speak",
    "led": "lead",
    "grew": "grow",
    "grown": "grow",
    "lost": "lose",
    "fell": "fall",
    "fallen": "fall",
    "sent": "send",
    "built": "build",
    "chose": "choose",
    "chosen": "choose",
    "drew": "draw",
    "drawn": "draw",
    "broke": "break",
    "broken": "break",
    "spent": "spend",
    "rose": "rise",
    "risen": "rise",
    "drove": "drive",
    "driven": "drive",
    "bought": "buy",
    "wore": "wear",
    "worn": "wear",
    "sold": "sell",
    "taught": "teach",
    "caught": "catch",
    "fought": "fight",
    "sought": "seek",
    "won": "win",
    "shown": "show",
    "knew": "know",
    "known": "know",
    "saw": "see",
    "seen": "see",
    "threw": "throw",
    "thrown": "throw",
    "ate": "eat",
    "eaten": "eat",
    "forgot": "forget",
    "forgotten": "forget",
    "hid": "hide",
    "hidden": "hide",
    "lent": "lend",
    "struck": "strike",
    "sang": "sing",
    "sung": "sing",
    "dealt": "deal",
    "fed": "feed",
    "bred": "breed",
    "fled": "flee",
    "slept": "sleep",
    "swept": "sweep",
    "wept": "weep",
    "woke": "wake",
    "woken": "wake",
    "bore": "bear",
    "born": "bear",
    "borne": "bear",
    "tore": "tear",
    "torn": "tear",
    "flew": "fly",
    "flown": "fly",
    "drank": "drink",
    "drunk": "drink",
    "swam": "swim",
    "swum": "swim",
    "rang": "ring",
    "rung": "ring",
    "shook": "shake",
    "shaken": "shake",
    "forgave": "forgive",
    "forgiven": "forgive",
    "overcame": "overcome",
    "undertook": "undertake",
    "undertaken": "undertake",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "sped": "speed",
    "bound": "bind",
    "wound": "wind",
    "hung": "hang",
    "shot": "shoot",
    "lit": "light",
    "slid": "slide",
    "stuck": "stick",
    "strove": "strive",
    "striven": "strive",
    "dug": "dig",
    "arose": "arise",
    "arisen": "arise",
    "better": "good",
    "best": "good",
    "worse": "bad",
    "worst": "bad",
}

_VOWELS = set("aeiou")
#: British spelling → American, and back: (British ending, American ending).
_SPELLINGS = (
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("yse", "yze"),
    ("our", "or"),
    ("ours", "ors"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("ogue", "og"),
    ("ence", "ense"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("mme", "m"),
    ("mmes", "ms"),
)
#: A word this short is left as it is: its endings are no endings ("bus", "red", "sing").
MIN_LETTERS = 4


def inflections(word: str) -> list[str]:
    """Base forms a lower-case inflected word may come from, likeliest first (most are no
    words; the caller keeps those a dictionary lists)."""
    out = [IRREGULAR[word]] if word in IRREGULAR else []
    if len(word) < MIN_LETTERS:
        return out
    if word.endswith("ies") or word.endswith("ied"):
        out.append(word[:-3] + "y")
    if word.endswith("ves"):
        out += [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("men"):
        out.append(word[:-3] + "man")
    if word.endswith("ses") and not word.endswith("sses"):
        out.append(word[:-1])  # "uses" is "use" before it is "us"
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh", "o")):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        out.append(word[:-1])
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            out += _verb_stems(word[: -len(ending)])
    return [w for w in dict.fromkeys(out) if w != word and len(w) >= 2]


def _verb_stems(stem: str) -> list[str]:
    """What a verb's "-ing" or "-ed" was added to: the stem as left ("visit"), with its "e"
    back ("use", "hope"), or with its doubled consonant single ("run", "plan")."""
    if stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        return [stem, stem[:-1]]
    with_e = stem + "e"
    if stem[-1] not in _VOWELS and stem[-2] in _VOWELS and stem[-3:-2] not in _VOWELS:
        return [with_e, stem]  # one vowel before one consonant: "us-ing" is "use"
    return [stem, with_e]


def spellings(word: str) -> list[str]:
    """The word in the other spelling, British or American, when an ending says which."""
    out = []
    for british, american in _SPELLINGS:
        if word.endswith(british) and len(word) > len(british) + 1:
            out.append(word[: -len(british)] + american)
        elif word.endswith(american) and len(word) > len(american) + 2:
            out.append(word[: -len(american)] + british)
    return out


#: English words that carry no subject of their own, beyond the stop list the index uses:
#: prepositions, conjunctions and modal verbs a dictionary gives as the senses of another
#: language's function words ("sobre": over, above, upon; "durante": during, whilst).
FUNCTION_WORDS = frozenset(
    {
        "across",
        "along",
        "although",
        "amid",
        "amidst",
        "among",
        "amongst",
        "around",
        "beside",
        "besides",
        "beyond",
        "could",
        "despite",
        "either",
        "else",
        "ever",
        "hence",
        "however",
        "may",
        "might",
        "must",
        "neither",
        "onto",
        "per",
        "rather",
        "shall",
        "since",
        "than",
        "thence",
        "though",
        "thus",
        "toward",
        "towards",
        "unless",
        "upon",
        "via",
        "whereas",
        "whether",
        "whilst",
        "within",
        "without",
        "would",
        "yet",
    }
)


@lru_cache(maxsize=1)
def plurals(word: str) -> list[str]:
    """A singular's irregular plurals ("child": "children"): a translation into English that
    the dictionaries give in the singular finds documents that use only the plural."""
    return _plurals().get(word.lower(), [])


@lru_cache(maxsize=1)
def _plurals() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for plural, singular in PLURALS.items():
        out.setdefault(singular, []).append(plural)
    return out


def function_words() -> frozenset[str]:
    """The stop words of the index and ``FUNCTION_WORDS``."""
    return FUNCTION_WORDS | frozenset(stopwords("en"))


@lru_cache(maxsize=16384)
def forms(word: str) -> tuple[str, ...]:
    """The word as typed (in lower case), its other spelling, then each base form followed
    by its other spelling: the forms to look up, in order."""
    lower = word.lower()
    out = [lower, *spellings(lower)]
    for base in inflections(lower):
        out += [base, *spellings(base)]
    return tuple(dict.fromkeys(out))


__all__ = [
    "FUNCTION_WORDS",
    "IRREGULAR",
    "PLURALS",
    "forms",
    "function_words",
    "inflections",
    "plurals",
    "spellings",
]
