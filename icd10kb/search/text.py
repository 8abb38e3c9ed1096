"""Words of titles and queries: folding, stop words, stemming, and the names a title holds.

Search reads every text — titles, notes, knowledge labels, queries — through
:func:`words`, so a query and a title meet in the same form.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_WORD", "deletions", "essentials", "fold", "names", "stem", "words"]

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an and as at by for from in into is of on or the to with without due other nos".split())
_OPTIONAL = re.compile(r"\([^()]*\)|,\s*(?:site )?(?:unspecified|not specified)\b[^,]*|\bnot elsewhere classified\b")
_NON = re.compile(r"\bnon-(?=[a-z])")
_OTHER = re.compile(r"\bother\b", re.IGNORECASE)
_ALIAS = re.compile(r"\[([^\[\]]*)\]")
#: Comparatives that name the same place or degree as their adjective ("lower back", "low back pain").
_COMPARATIVES = {"lower": "low", "higher": "high", "older": "old", "smaller": "small", "larger": "large"}


def stem(word: str) -> str:
    """Trim the common English endings of a folded word.

    A final *e* goes too, in words of more than four letters, so that
    *fracture*, *fractured* and *fractures* share a stem.

    Examples
    --------
    >>> [stem(w) for w in ("deposits", "deposited", "calcinosis", "arteries", "bleeding")]
    ['deposit', 'deposit', 'calcinosis', 'artery', 'bleed']
    >>> [stem(w) for w in ("fracture", "fractured", "fractures", "fracturing")]
    ['fractur', 'fractur', 'fractur', 'fractur']
    """
    if type(word) is not str:
        from ..arguments import check_text

        word = check_text(word, "word")
    word = _COMPARATIVES.get(word, word)
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4 and not word.endswith("eed"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


_STEMS: dict[str, str] = {}
#: Words that a name can do without: they narrow nothing.
_FILLER = frozenset({stem("unspecified"), "nec"})


def fold(text: str) -> str:
    if type(text) is not str:
        from ..arguments import check_text

        text = check_text(text, "text")
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(folded: str, letters: bool = False) -> list[str]:
    """The stems of the words of a folded text, without stop words (but with single *letters* if asked)."""
    if "non-" in folded:  # "non-diabetic" is one word, and not "diabetic"
        folded = _NON.sub("non", folded)
    stems = _STEMS
    out = []
    for w in _WORD.findall(folded):
        if w in _STOP and not (letters and len(w) == 1):
            continue
        s = stems.get(w)
        if s is None:
            s = stem(w)
            if len(stems) < 200_000:  # queries may bring any word: keep the cache bounded
                stems[w] = s
        out.append(s)
    return out


def words(text: str) -> list[str]:
    """The searchable words of *text*: folded, trimmed, without stop words.

    Examples
    --------
    >>> words("Calcium deposits in the Skin")
    ['calcium', 'deposit', 'skin']
    """
    return _words(fold(text))  # fold checks the text


def essentials(text: str) -> list[frozenset[str]]:
    """The essential words of *text*, then those of each term in square brackets.

    Examples
    --------
    >>> [sorted(n) for n in essentials("Essential (primary) hypertension")]
    [['essential', 'hypertension']]
    >>> [sorted(n) for n in essentials("Pneumonia, unspecified organism")]
    [['pneumonia']]
    >>> [sorted(n) for n in essentials("acquired immune deficiency syndrome [AIDS]")]
    [['acquir', 'deficiency', 'immun', 'syndrom'], ['aid']]
    """
    folded = _OPTIONAL.sub(" ", fold(text))  # fold checks the text
    parts = [_ALIAS.sub(" ", folded), *_ALIAS.findall(folded)]
    return [frozenset(w for w in _words(part, letters=True) if w not in _FILLER) for part in parts]


def names(essentials: list[frozenset[str]], text: str) -> list[frozenset[str]]:
    """The names that a text gives: its essential words, unless it is a residual class ("Other …")."""
    from ..arguments import check_text

    if not isinstance(essentials, list) or not all(isinstance(n, frozenset) for n in essentials):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(essentials, "a list of frozensets of words, as essentials() gives", "essentials")
    if _OTHER.search(check_text(text, "text")):
        return []
    return [name for name in essentials if name]


#: Words longer than this have no one-letter deletions (no typo correction): no word of the
#: classification is half as long, and the deletions of deletions grow with the square.
MAX_WORD = 64


def deletions(word: str) -> set[str]:
    """The strings one letter shorter than *word*; empty for words over :data:`MAX_WORD` letters.

    Examples
    --------
    >>> sorted(deletions("skin"))
    ['kin', 'sin', 'ski', 'skn']
    """
    if type(word) is not str:
        from ..arguments import check_text

        word = check_text(word, "word")
    if len(word) > MAX_WORD:
        return set()
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
