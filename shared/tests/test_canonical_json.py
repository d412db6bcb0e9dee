"""The fast canonical JSON path gives exactly what the RFC 8785 reference gives, for any JSON
value: a chain hash must never depend on which path computed it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import rfc8785
from hypothesis import example, given, settings
from hypothesis import strategies as st

from inclusion_shared.events import chain
from inclusion_shared.events.chain import HASH_FIELD, SAFE_INTEGER, canonical_json, parse_and_hash

# Every code point, surrogates included, with the edges that matter weighted in: control
# characters, the escapes, the top of the BMP (which sorts after surrogates in UTF-16) and
# characters beyond it (which sort before U+E000..U+FFFF in UTF-16 but after in code points).
EDGES = '\x00\x1f\x7f\\"\b\f\n\r\t/\u2028\u2029\ud7ff\ud800\udfff\ue000\uffff\U00010000\U0001f600'
characters = st.one_of(
    st.sampled_from(EDGES), st.characters(codec=None, exclude_categories=()), st.characters()
)
text = st.text(characters, max_size=12)
integers = st.one_of(
    st.integers(-1000, 1000),
    st.integers(-SAFE_INTEGER - 2, -SAFE_INTEGER + 2),
    st.integers(SAFE_INTEGER - 2, SAFE_INTEGER + 2),
    st.integers(),
)
scalars = st.one_of(st.none(), st.booleans(), integers, st.floats(), text)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(text, inner, max_size=6)),
    max_leaves=16,
)


def reference(value: Any) -> bytes | type[BaseException]:
    try:
        return rfc8785.dumps(value)
    except Exception as error:
        return type(error)


def fast(value: Any) -> bytes | type[BaseException]:
    try:
        return canonical_json(value)
    except Exception as error:
        return type(error)


@settings(max_examples=600, deadline=None)
@given(json_values)
@example({"\ue000": 1, "\U0001f600": 2})
@example({"a": 2**53, "b": -(2**53)})
@example({"a": 1.0, "b": [0.1, -0.0, 1e21, 1e-7]})
@example(["\ud800"])
@example({"\ud800": "lone surrogate key"})
@example({"nested": [{"z": None, "y": True, "x": "\x00\x1f\x7f\u2028"}]})
def test_the_fast_path_is_byte_identical_to_rfc_8785(value: Any) -> None:
    assert fast(value) == reference(value)


def parsed_reference(raw: bytes) -> tuple[Any, str] | type[BaseException]:
    """What the chain hash of a raw event is by definition: ``json.loads`` then RFC 8785."""
    try:
        event = json.loads(raw)
        if not isinstance(event, dict):
            return ValueError
        body = {name: value for name, value in event.items() if name != HASH_FIELD}
        return event, hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    except ValueError:
        return ValueError


def parsed_fast(raw: bytes) -> tuple[Any, str] | type[BaseException]:
    try:
        return parse_and_hash(raw)
    except ValueError:
        return ValueError


def wire(value: Any) -> bytes:
    """A value as some producer might write it: any key order, escaped or not, maybe NaN."""
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except ValueError:
        return json.dumps(value).encode()


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(text, json_values, max_size=5))
@example({HASH_FIELD: "ab", "n": float("nan")})
@example({HASH_FIELD: "ab", "s": "\ud800", "big": 2**60})
@example({HASH_FIELD: "ab", "big": 2**53, "small": -(2**53) + 1})
@example({HASH_FIELD: "ab", "digits in text": "12345678901234567890", "\u00e9": "key"})
def test_an_event_off_the_wire_parses_and_hashes_as_the_reference_does(
    event: dict[str, Any],
) -> None:
    raw = wire(event)
    fast_result, expected = parsed_fast(raw), parsed_reference(raw)
    if isinstance(expected, tuple) and isinstance(fast_result, tuple):
        assert fast_result[1] == expected[1]
        assert json.dumps(fast_result[0], sort_keys=True) == json.dumps(expected[0], sort_keys=True)
    else:
        assert fast_result == expected


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf{}",  # a byte order mark: the standard library accepts it
        b'{"a":1.0}',
        b'{"a":NaN}',
        b'{"a":"\\ud800"}',
        b'{"a":"\xed\xa0\x80"}',  # a surrogate encoded in UTF-8
        b'{"a":1,"a":2}',
        b"[1, 2]",
        b"not json",
        '{"k":"caf\u00e9"}'.encode("utf-16"),
    ],
)
def test_what_the_fast_decoder_refuses_is_parsed_as_the_reference_does(raw: bytes) -> None:
    assert parsed_fast(raw) == parsed_reference(raw)


def test_the_suites_events_take_the_fast_path() -> None:
    """A real event (ids, dates, pence, nested records) never needs the reference path."""
    event = {
        "id": "1d5f0c8e-7b7e-4b1c-9d3a-2f0b9c1e6a10",
        "data": {"band": 3, "annual_amount_pence": 900_000, "plans": [{"dated": "2026-01-12"}]},
        "chainseq": 12,
    }
    assert chain._plain(event)
    assert canonical_json(event) == rfc8785.dumps(event)
