"""The check of API requests against the description: the same verdicts as validating each value
against its schema from scratch, with each schema's validator made once, not per request."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from werkzeug.datastructures import MultiDict

from indexer import QueryError
from webapp import openapi

#: Values tried on every parameter: inside and outside limits, enums and patterns.
TRIED = ["1", "0", "-3", "100000", "2021", "2021-2023", "undated", "x", "en", "relevance", ""]


def _verdict_from_scratch(spec: dict[str, Any], raw: str) -> bool:
    schema = spec["schema"]
    try:
        value: Any = openapi._value(spec, raw)
        jsonschema.validate([value] if schema.get("type") == "array" else value, schema)
    except (QueryError, jsonschema.ValidationError):
        return False
    return True


def _verdict(endpoint: str, name: str, raw: str) -> bool:
    try:
        openapi.check_params(endpoint, MultiDict([(name, raw)]))
    except QueryError:
        return False
    return True


@pytest.mark.parametrize("endpoint", sorted(openapi.PARAMETERS))
def test_requests_are_refused_exactly_as_their_schemas_say(endpoint):
    for spec in openapi.PARAMETERS[endpoint]:
        for raw in TRIED:
            expected = _verdict_from_scratch(spec, raw)
            assert _verdict(endpoint, spec["name"], raw) is expected, (spec["name"], raw)


def test_a_schema_is_checked_once_not_on_every_request(monkeypatch):
    checked: list[Any] = []
    kind = jsonschema.validators.validator_for({})
    original = kind.check_schema.__func__

    def counting(cls: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        checked.append(schema)
        original(cls, schema, *args, **kwargs)

    monkeypatch.setattr(kind, "check_schema", classmethod(counting))
    args = MultiDict([("page", "2"), ("sort", "newest"), ("year", "2021-2023")])
    for _ in range(5):
        openapi.check_params("api.search", args)
    assert len(checked) <= len(args)
