"""Language identification with py3langid, whose model ships inside the package."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

#: Languages the detector may answer with. Restricting the set keeps it from
#: answering with close varieties (``wuu`` for Mandarin text) that no source labels.
DETECTABLE = [
    "ar",
    "de",
    "en",
    "es",
    "fa",
    "fr",
    "hi",
    "id",
    "it",
    "ja",
    "ko",
    "ms",
    "nl",
    "pl",
    "pt",
    "ru",
    "sv",
    "th",
    "tr",
    "uk",
    "vi",
    "zh",
]

#: Names and regional codes that inputs use for a language, mapped to ISO 639-1.
_ALIASES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "french": "fr",
    "français": "fr",
    "russian": "ru",
    "русский": "ru",
    "korean": "ko",
    "한국어": "ko",
    "조선어": "ko",
    "chinese": "zh",
    "中文": "zh",
    "japanese": "ja",
    "日本語": "ja",
    "german": "de",
    "arabic": "ar",
    "kor": "ko",
    "eng": "en",
    "spa": "es",
    "fra": "fr",
    "fre": "fr",
    "rus": "ru",
    "chi": "zh",
    "zho": "zh",
    "jpn": "ja",
}
_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")

#: Below this many letters the guess is noise; the article keeps no language.
MIN_LETTERS = 12


def normalize_language(value: object) -> str | None:
    """An input's language label as an ISO 639-1 code, or None when it names none.

    Accepts codes (``en``, ``ko-KR``, ``zh_Hans``), three-letter codes and common names.
    """
    if not isinstance(value, str):
        return None
    label = value.strip().lower()
    if not label:
        return None
    if label in _ALIASES:
        return _ALIASES[label]
    match = _CODE.match(label)
    if match:
        code = match.group(1)
        return _ALIASES.get(code, code) if len(code) == 3 else code
    return None


@functools.cache
def _identifier() -> LanguageIdentifier:
    # Loaded on first use, not at import: the model takes ~0.5 s to unpack.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    full.set_languages(DETECTABLE)
    # Restricted, it still holds the whole model (28 of its 80 MB) to restrict it again;
    # one built from the restricted part alone answers the same and lets the rest go.
    return LanguageIdentifier(
        full.nb_ptc, full.nb_pc, full.nb_classes, full.tk_nextmove, full.tk_output, norm_probs=False, tk_row=full.tk_row
    )


def detect_language(text: str, *, sample: int = 2000) -> str | None:
    """The ISO 639-1 code of the text's language, or None when the text is too short.

    Only the first ``sample`` characters are looked at: enough for a reliable guess,
    and constant time per article.
    """
    head = text[:sample]
    if sum(ch.isalpha() for ch in head[:200]) < MIN_LETTERS and sum(ch.isalpha() for ch in head) < MIN_LETTERS:
        return None
    code, _score = _identifier().classify(head)
    return str(code)
