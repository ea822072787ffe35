"""The JSON written by orjson is the JSON Flask's own encoder writes, for the API's real answers
and for what Flask encodes its own way."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import json
import uuid

import pytest
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from webapp.json_encoding import FastJSONProvider


@pytest.fixture
def providers(app):
    plain = DefaultJSONProvider(app)
    plain.ensure_ascii = False
    plain.sort_keys = False
    return FastJSONProvider(app), plain


@dataclasses.dataclass
class Shown:
    title: str
    when: datetime.date


ADDRESSES = [
    "/api/search?q=social+enterprise",
    "/api/search?q=социални+предприятия",
    "/api/search?q=κοινωνική+οικονομία&lang=el",
    '/api/search?q="social+enterprise"&country=BG&sort=newest',
    "/api/search?q=inovacao~1&page=2",
    "/api/search?q=",
    "/api/facets",
    "/api/suggest?q=soc",
    "/api/documents?per_page=5",
]


def body(provider, app, value):
    with app.test_request_context():
        return provider.response(value).get_data(as_text=True)


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_api_answers_are_written_as_flask_writes_them(app, client, providers, address):
    fast, plain = providers
    assert isinstance(app.json, FastJSONProvider)  # what the app writes its answers with
    response = client.get(address)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    answer = json.loads(response.data)
    assert answer  # a real answer, not an empty body
    # The same text, letters outside ASCII as they are, keys in the contract's order.
    assert body(fast, app, answer) == body(plain, app, answer)
    assert response.get_data(as_text=True) == body(plain, app, answer)


def test_what_flask_encodes_its_own_way_comes_out_the_same(app, providers):
    fast, plain = providers
    values = {
        "date": datetime.date(2024, 3, 1),
        "moment": datetime.datetime(2024, 3, 1, 12, 30, tzinfo=datetime.UTC),
        "amount": decimal.Decimal("12.50"),
        "id": uuid.UUID(int=7),
        "marked": Markup("<mark>social</mark> &amp; more"),
        "shown": Shown("Ανάλυση", datetime.date(2023, 1, 2)),
        "text": 'line\nbreak \u2028 "quoted" \\ tab\t ctrl\x01',
        "numbers": [0, -1, 2**63 - 1, 1.5, 0.1, 12.3456, None, True],
    }
    assert body(fast, app, values) == body(plain, app, values)
    assert json.loads(body(fast, app, values))["date"] == "Fri, 01 Mar 2024 00:00:00 GMT"


def test_what_orjson_refuses_is_written_by_the_standard_encoder(app, providers):
    fast, plain = providers
    for refused in ({1: "page one", 2: "page two"}, {"big": 2**70}):
        assert body(fast, app, refused) == body(plain, app, refused)
        assert json.loads(body(fast, app, refused))


def test_a_value_neither_encoder_knows_is_an_error(app, providers):
    fast, _ = providers
    with pytest.raises(TypeError):
        body(fast, app, {"what": object()})


def test_debug_mode_indents_as_flask_does(app, providers):
    fast, plain = providers
    value = {"hits": [{"title": "Социална икономика", "score": 1.25}]}
    app.debug = True
    try:
        indented = body(fast, app, value), body(plain, app, value)
    finally:
        app.debug = False
    assert indented[0] == indented[1]
    assert "\n  " in indented[0]
    assert json.loads(indented[0]) == value
