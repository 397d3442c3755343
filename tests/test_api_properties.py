"""Property tests from the OpenAPI spec: schemathesis generates requests for every operation
and checks that the real server never answers 500 and that answers match their schemas."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings
from test_api_helpers import TOKEN, build_sample_db, serve

from sitreps.api import create_app
from sitreps.geo.gazetteer import get_gazetteer
from sitreps.jobs import ExtractReport

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is in the test extra: pip install -e '.[test]'"
)
from schemathesis import checks as st_checks  # noqa: E402

# Bounded so the whole file runs in well under a minute: 14 operations x this many examples.
EXAMPLES = 20
REQUESTS: list[int] = []


def _no_extraction(store, config) -> ExtractReport:
    """Ingest without spaCy: the property test is about HTTP, not NLP."""
    pending = list(store.unprocessed_articles())
    store.mark_failed([a.id for a in pending])
    return ExtractReport(articles=len(pending))


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    path = build_sample_db(tmp_path_factory.mktemp("props") / "props.duckdb", n=40).path
    # Control queries by alias read the gazetteer; its first build on a fresh machine (as in
    # CI) can outlast a request's timeout, and `sitreps serve` warms it at start-up, which this
    # server (lifespan off) does not.
    get_gazetteer()
    app = create_app(path, allow_ingest=True, token=TOKEN, extract=_no_extraction)
    with serve(app) as base:
        yield schemathesis.openapi.from_url(f"{base}/openapi.json")
    app.state.db.close()


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_properties_match_the_openapi_spec(case):
    if case.method == "POST":
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
    REQUESTS.append(1)
    # The server must never fail (500), and each answer must match its documented schema.
    # positive_data_acceptance is left out: since > until is schema-valid but refused (422).
    case.call_and_validate(
        checks=[
            st_checks.not_a_server_error,
            st_checks.status_code_conformance,
            st_checks.content_type_conformance,
            st_checks.response_schema_conformance,
        ],
        timeout=20,
    )


def test_api_properties_ran_requests():
    """Report how many generated requests hit the server (visible with -rA or -s)."""
    print(f"schemathesis sent {len(REQUESTS)} requests")
