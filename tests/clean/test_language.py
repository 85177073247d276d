"""Language detection with the model that ships in py3langid's package."""

from __future__ import annotations

import pytest

from wirewatch.clean.language import detect_language, normalize_language

SAMPLES = {
    "en": "The delegation of the Russian Federation Council arrived in Pyongyang on Tuesday for talks.",
    "es": "La delegación del Consejo de la Federación de Rusia llegó a Pyongyang el martes para conversaciones.",
    "fr": "La délégation du Conseil de la Fédération de Russie est arrivée à Pyongyang mardi pour des entretiens.",
    "ru": "Делегация Совета Федерации России прибыла в Пхеньян во вторник для переговоров.",
    "ko": "러시아 연방평의회 대표단이 회담을 위해 화요일 평양에 도착하였다.",
    "zh": "俄罗斯联邦委员会代表团星期二抵达平壤举行会谈。",
    "ja": "ロシア連邦評議会の代表団が火曜日に会談のため平壌に到着した。",
}


@pytest.mark.parametrize(("code", "text"), SAMPLES.items())
def test_detects_the_languages_state_media_publish_in(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_too_little_text_gives_no_guess() -> None:
    assert detect_language("DPRK") is None
    assert detect_language("12 / 10 / 2018 —") is None


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("ko-KR", "ko"),
        ("zh_Hans", "zh"),
        ("English", "en"),
        ("kor", "ko"),
        ("español", "es"),
        ("", None),
        (None, None),
        ("not a language!", None),
        (3, None),
    ],
)
def test_input_labels_become_iso_codes(label: object, code: str | None) -> None:
    assert normalize_language(label) == code
