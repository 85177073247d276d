"""The API against its own OpenAPI description, fuzzed by schemathesis through the ASGI app.

Every operation of ``/api/openapi.json`` gets requests generated from its parameters'
schemas (valid ones, and ones the schema forbids), sent in-process to the app over a small
archive. The contract: no 5xx; every answer conforms to the description (status code,
content type, body schema); a request the schema allows is accepted (2xx, or 404 for an
article or entity that is not there) unless it is one of the few refusals no schema can
foresee (UNFORESEEABLE), and one it forbids is refused with a 400.

Bounded so that CI runs it well within a minute (about 1,100 requests in 20 s): a fixed
number of examples per operation, derandomized (the same examples on every run), no
deadline. ``pytest -s`` prints the figures.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import write_jsonl
from tests.web.conftest import EDGE_RECORDS, TestClient, build_archive
from wirewatch.config.settings import Settings
from wirewatch.web import create_app

pytestmark = pytest.mark.fuzz

#: The parameters of /api/search other than the query: a refusal that names none of them is
#: about the query itself.
SEARCH_PARAMETERS = ("source", "language", "status", "since", "until", "order", "page", "limit", "collapse")
#: What a schema cannot say, so that a request it allows may still be refused with a 400
#: naming the reason: a source the archive does not hold, a list position that names no
#: real date (positions are the `next` the API gave), dates in the wrong order, a country
#: paired with itself, an entity the actor data do not hold (or that names several), a period
#: with no period of the same length before it.
UNFORESEEABLE = re.compile(
    r"source .*: no such source in the archive|after .*: expected a position|since .* is after until"
    r"|relations of [A-Z]{3} with itself"
    r"|id .*: (not in the actor data|names more than one)|since .*: the period as long just before it",
    re.DOTALL,
)


def _a_refusal_the_schema_cannot_foresee(case: Any, response: Any) -> bool:
    if response.status_code != 400:
        return False
    error = str(response.json().get("error", ""))
    if UNFORESEEABLE.match(error):
        return True
    # The query language is a grammar (quotes, parentheses, AND/OR/NOT, filters): no
    # JSON schema describes it, and a query it refuses is a 400 that names the position.
    return case.operation.path in ("/api/search", "/api/trend") and not error.startswith(
        tuple(f"{p} " for p in (*SEARCH_PARAMETERS, "by", "per_source", "exact_spelling"))
    )


def accepted_when_the_schema_allows(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's positive_data_acceptance, less the refusals above."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if _a_refusal_the_schema_cannot_foresee(case, response):
            return None
        raise


#: Examples per operation (and per generation mode): enough to reach every parameter's
#: edges, few enough that the whole run stays near a minute.
EXAMPLES = 100

#: How many requests each operation got, and how long the run took (printed at the end).
SENT: Counter[str] = Counter()
STARTED: list[float] = []


def _description() -> dict[str, Any]:
    """The app's OpenAPI document, read at collection (an operation is a test): it does not
    depend on the archive, so an empty one in memory serves."""
    app = create_app(Settings(db="sqlite:///:memory:"))
    try:
        return app.openapi()
    finally:
        app.state.store.close()


schema = schemathesis.openapi.from_dict(_description())
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True)


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app (lifespan run) over the edge records: hostile text, odd dates, several sources."""
    folder = tmp_path_factory.mktemp("fuzz")
    db = build_archive(folder / "fuzz.db", [write_jsonl(folder / "edge.jsonl", EDGE_RECORDS)])
    app = create_app(Settings(db=str(db)))
    with TestClient(app):
        yield app
    if STARTED:
        took = time.monotonic() - STARTED[0]
        print(f"\nschemathesis: {len(SENT)} operations, {sum(SENT.values())} requests in {took:.1f} s")
        for label, count in sorted(SENT.items()):
            print(f"  {label}: {count}")


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_description(case: Any, api_app: Any) -> None:
    STARTED[:] = STARTED or [time.monotonic()]
    SENT[case.operation.label] += 1
    case.call_and_validate(
        app=api_app, excluded_checks=[positive_data_acceptance], additional_checks=[accepted_when_the_schema_allows]
    )
