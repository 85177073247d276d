"""`wirewatch compare A B`: the relation of two articles imported in the test, through the CLI."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Invoke, write_jsonl

EN = (
    "Pak Ui Chun, foreign minister of the DPRK, met Valerie Amos, UN under secretary general for "
    "Humanitarian Affairs and Emergency Relief coordinator, and her party at the Mansudae Assembly Hall "
    "on Tuesday.\n\nPak Ui Chun said the Government of the DPRK would cooperate with the United Nations "
    "in the 2011 relief programme for 16 provinces. Valerie Amos thanked him for the talks."
)
ES = (
    "El ministro de Relaciones Exteriores de la Republica Popular Democratica de Corea, Pak Ui Chun, "
    "departio el dia 18 en el Palacio de los Congresos Mansudae con la subsecretaria general de asuntos "
    "humanitarios de la ONU, Valerie Amos, y su comitiva.\n\nPak Ui Chun dijo que el Gobierno de la RPDC "
    "cooperara con las Naciones Unidas en el programa de socorro de 2011 para 16 provincias. Valerie Amos "
    "le agradecio las conversaciones."
)
GREETING = (
    "Kim Yong Nam, president of the Presidium of the DPRK Supreme People's Assembly, sent a message of "
    "greetings to Boni Yayi, president of Benin, on the occasion of the national day of his country on "
    "Monday.\n\nThe message wished the president greater success in his work for the country's "
    "prosperity and expressed the belief that the friendly relations between the two countries would "
    "grow stronger."
)
SIBLING = GREETING.replace("Boni Yayi", "Demetris Christofias").replace("Benin", "Cyprus").replace("Monday", "Thursday")
REPRINT = GREETING.replace("greater success", "big success").replace("grow stronger", "develop further")

RECORDS = [
    {"source": "KCNA", "title": "Pak Ui Chun Meets UN Official", "date": "2011-10-18", "language": "en", "body": EN},
    {"source": "KCNA", "title": "Pak Ui Chun se reune con Valerie Amos", "date": "2011-10-19", "body": ES},
    {"source": "KCNA", "title": "Greetings to President of Benin", "date": "2011-08-01", "body": GREETING},
    {"source": "KCNA", "title": "Greetings to President of Cyprus", "date": "2011-10-01", "body": SIBLING},
    {"source": "KCNA", "title": "Message to Benin", "date": "2011-08-05", "body": GREETING},
    {"source": "Rodong Sinmun", "title": "Greetings to Benin", "date": "2011-08-02", "body": REPRINT},
    {"source": "KCNA", "title": "Headline Only", "date": "2011-08-03"},
]


def _import(cli: Invoke, tmp_path: Path) -> None:
    result = cli("import", str(write_jsonl(tmp_path / "stories.jsonl", RECORDS)))
    assert result.exit_code == 0, result.stderr


def _compare(cli: Invoke, a: int, b: int) -> dict[str, object]:
    result = cli("compare", str(a), str(b), "--json")
    assert result.exit_code == 0, result.stderr
    found = result.json()
    assert isinstance(found, dict)
    return found


def test_the_relations_and_the_json_contract(cli: Invoke, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    translation = _compare(cli, 1, 2)
    assert set(translation) == {"a", "b", "relation", "similarity", "changes", "slots"}
    assert (translation["a"], translation["b"], translation["relation"]) == (1, 2, "translation")
    assert isinstance(translation["similarity"], float) and 0 <= translation["similarity"] <= 1
    template = _compare(cli, 3, 4)
    assert template["relation"] == "template"
    slots = {(s["kind"], s["a"], s["b"]) for s in template["slots"]}  # type: ignore[attr-defined]
    assert ("country", "Benin", "Cyprus") in slots
    assert any(kind == "date" and a == "monday" and b == "thursday" for kind, a, b in slots)
    changes = template["changes"]
    assert {"op": "replace", "a": "Monday", "b": "Thursday"} in changes  # type: ignore[operator]
    assert all(set(c) == {"op", "a", "b"} and c["op"] in ("replace", "insert", "delete") for c in changes)  # type: ignore[attr-defined]
    copy = _compare(cli, 3, 5)
    assert (copy["relation"], copy["similarity"], copy["changes"], copy["slots"]) == ("duplicate", 1.0, [], [])
    reprint = _compare(cli, 3, 6)
    assert reprint["relation"] == "reprint" and reprint["slots"] == []
    assert {"op": "replace", "a": "greater", "b": "big"} in reprint["changes"]  # type: ignore[operator]
    unrelated = _compare(cli, 1, 4)
    assert unrelated["relation"] == "unrelated"
    # The template siblings never read as one story, whichever comes first.
    assert _compare(cli, 4, 3)["relation"] == "template"


def test_the_text_output(cli: Invoke, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    result = cli("compare", "3", "4")
    assert result.exit_code == 0
    assert "template: the same formula about a different event" in result.stdout
    assert "country: Benin | Cyprus" in result.stdout
    assert "[-Monday-]{+Thursday+}" in result.stdout


def test_bad_input_is_refused_with_a_message(cli: Invoke, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    for args, message in [
        (("99", "1"), "no article 99"),
        (("1", "1"), "compared with itself"),
        (("1", "7"), "headline without text"),
    ]:
        result = cli("compare", *args, "--json")
        assert result.exit_code == 2, (args, result.stdout)
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    result = cli("compare", "one", "2")
    assert result.exit_code == 2


def test_a_long_story_is_compared(cli: Invoke, tmp_path: Path) -> None:
    long = "\n\n".join(f"Paragraph {n}: {GREETING}" for n in range(100))[:40_000]
    edited = long.replace("Paragraph 40:", "Paragraph forty:")
    records = [
        {"source": "KCNA", "title": "Long", "date": "2012-01-01", "body": long},
        {"source": "KCNA", "title": "Long, edited", "date": "2012-01-02", "body": edited},
        {"source": "KCNA", "title": "Other", "date": "2012-01-03", "body": ES * 40},
    ]
    assert cli("import", str(write_jsonl(tmp_path / "long.jsonl", records))).exit_code == 0
    assert len(long) == 40_000
    assert _compare(cli, 1, 2)["relation"] == "reprint"
    assert _compare(cli, 1, 3)["relation"] == "unrelated"
