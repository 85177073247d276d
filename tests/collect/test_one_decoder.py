"""One decoder for pages: the same bytes give the same text whether the collector fetches
them over HTTP (the local site, a real server), ``wirewatch import`` reads them from a WARC
capture with the same Content-Type, or from a saved HTML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.collect.site import LocalSite, article_html
from tests.ingest.test_warc import write_warc
from wirewatch.collect.fetch import Fetcher, FetchOptions
from wirewatch.ingest import read_inputs
from wirewatch.models import RawRecord

KOREAN_TITLE = "조선민주주의인민공화국 창건 기념"
KOREAN = [
    "조선중앙통신사는 오늘 평양에서 새로운 공장이 조업을 시작하였다고 보도하였다. " * 3,
    "공장의 로동자들은 계획을 넘쳐 수행하기 위한 투쟁을 벌리고 있다. " * 3,
]
CP949_ONLY = "똠방각하 햏 뷁"  # not in EUC-KR (KS X 1001): only CP949 encodes these as two bytes
FRENCH_TITLE = "Délégation à Pyongyang"
FRENCH = [
    "La délégation est arrivée à Pyongyang lundi, accueillie à l'aéroport par le vice-ministre.",
    "Les entretiens ont porté sur la coopération économique et les échanges culturels à venir.",
]
ENGLISH = [
    "The friendship between the two countries has a long history of more than seventy years.",
    "Kim Jong Il visited Russia in 2001, 2002 and 2011 and held talks with the Russian leaders.",
]
EUC_KR_PAGE = article_html(KOREAN_TITLE, KOREAN, lang="ko", charset="euc-kr")
CP949_PAGE = article_html(CP949_ONLY, [CP949_ONLY + " " + KOREAN[0], KOREAN[1]], lang="ko", charset="euc-kr")
FRENCH_PAGE = article_html(FRENCH_TITLE, FRENCH, lang="fr", charset="windows-1252")
# The <meta> is wrong on purpose: the byte-order mark comes first and says UTF-8.
BOM_PAGE = article_html("Friendship goes on", ENGLISH, charset="windows-1252")


@pytest.mark.parametrize(
    ("page", "data", "content_type", "charset"),
    [
        pytest.param(EUC_KR_PAGE, EUC_KR_PAGE.encode("euc-kr"), "text/html; charset=euc-kr", "cp949", id="euc-kr"),
        pytest.param(EUC_KR_PAGE, EUC_KR_PAGE.encode("euc-kr"), "text/html", "cp949", id="euc-kr-meta-only"),
        pytest.param(
            EUC_KR_PAGE,
            EUC_KR_PAGE.encode("euc-kr"),
            "text/html; charset=iso-8859-1",
            "cp949",
            id="euc-kr-latin1-header",
        ),
        pytest.param(
            CP949_PAGE, CP949_PAGE.encode("cp949"), "text/html; charset=EUC-KR", "cp949", id="cp949-as-euc-kr"
        ),
        pytest.param(FRENCH_PAGE, FRENCH_PAGE.encode("cp1252"), "text/html", "cp1252", id="windows-1252-meta-only"),
        pytest.param(
            BOM_PAGE, b"\xef\xbb\xbf" + BOM_PAGE.encode(), "text/html; charset=iso-8859-1", "utf-8", id="utf-8-bom"
        ),
    ],
)
def test_fetched_archived_and_saved_bytes_give_the_same_text(
    site: LocalSite, tmp_path: Path, page: str, data: bytes, content_type: str, charset: str
) -> None:
    site.set("/page.html", data, content_type=content_type)
    with Fetcher(FetchOptions(allow_private=True, robots=False)) as fetcher:
        fetched = fetcher.fetch(site.url("/page.html"))
    assert (fetched.text, fetched.charset) == (page, charset)

    warc = write_warc(
        tmp_path / "capture.warc", [("response", site.url("/page.html"), "2024-05-01T10:00:00Z", data, content_type)]
    )
    saved = tmp_path / "page.html"
    saved.write_bytes(data)  # no transport: only the bytes speak
    archived, from_file = (
        [item for item in read_inputs([path]) if isinstance(item, RawRecord)] for path in (warc, saved)
    )
    assert [record.raw for record in archived] == [fetched.text]
    assert [record.raw for record in from_file] == [fetched.text]
