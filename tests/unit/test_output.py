"""Renderers: text is awscli's text format on any data, streamed JSON equals one-shot JSON, tables are
golden (and masked), yaml and jsonl are what scripts expect."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from awscli.text import format_text
from hypothesis import given, settings
from hypothesis import strategies as st

from importexport_cli.output import (compile_query, render, render_json, render_table, render_text,
                                     stream_json_list)

GOLDEN = Path(__file__).parent.parent / "golden"
SIG = "version:2.0\nsigningMethod:HmacSHA1\njobId:ABCDE\nsignature:ktKDXpdbEXAMPLEyGFJmQO744UHw=\n"
STATUS = {"JobId": "ABCDE", "JobType": "Export", "LocationCode": "AtAWS", "LocationMessage": "At AWS.",
          "ProgressCode": "InProgress", "ProgressMessage": "Loading.", "ErrorCount": 0, "Signature": "ktKDX=",
          "SignatureFileContents": SIG,
          "CurrentManifest": "manifestVersion: 2.0\ntrueCryptPassword: hunter2\n  pinCode: '1234'\nlogBucket: b\n",
          "CreationDate": "2026-12-04T10:00:00Z", "ArtifactList": []}
JOBS = {"Jobs": [{"JobId": "FGHIJ", "CreationDate": "2026-12-04T10:00:00Z", "IsCanceled": False, "JobType": "Export"},
                 {"JobId": "ABCDE", "CreationDate": "2026-12-01T09:00:00Z", "IsCanceled": True, "JobType": "Import"}],
        "NextToken": "eyJNYXJrZXIiOiBudWxsfQ=="}

scalars = st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
data = st.recursive(scalars, lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(st.text(max_size=5), c, max_size=4)),
                    max_leaves=15)


@given(data)
@settings(max_examples=400, deadline=None)
def test_text_is_the_aws_cli_text_format(value):
    ours, theirs = io.StringIO(), io.StringIO()
    render_text(value, ours)  # never raises
    try:
        format_text(value, theirs)
    except AttributeError:  # awscli crashes on lists mixing maps and scalars; the service sends none
        return
    assert ours.getvalue() == theirs.getvalue()


@given(st.lists(st.dictionaries(st.text(max_size=5), scalars, max_size=4), max_size=6),
       st.dictionaries(st.sampled_from(["NextToken", "IsTruncated"]), st.text(max_size=10), max_size=2))
@settings(max_examples=200, deadline=None)
def test_streamed_json_is_byte_for_byte_the_one_shot_json(items, trailer):
    streamed, whole = io.StringIO(), io.StringIO()
    stream_json_list(streamed, "Jobs", iter(items), trailer)
    render_json({"Jobs": items, **trailer}, whole)
    assert streamed.getvalue() == whole.getvalue()


def test_multi_line_values_are_written_raw_in_text():
    out = io.StringIO()
    render(STATUS, "text", out, query=compile_query("SignatureFileContents"))
    assert out.getvalue() == SIG + "\n"


@pytest.mark.parametrize("name, value", [("status", STATUS), ("jobs", JOBS)])
def test_tables_are_golden_and_masked(name, value):
    out = io.StringIO()
    render_table(value, out, color="never", width=100)
    text = out.getvalue()
    assert "hunter2" not in text and "'1234'" not in text
    golden = GOLDEN / f"{name}.txt"
    assert golden.read_text(encoding="utf-8") == text


def test_json_and_yaml_print_what_the_service_returned():
    out = io.StringIO()
    render(STATUS, "json", out)
    assert json.loads(out.getvalue()) == STATUS and "hunter2" in out.getvalue()
    assert list(json.loads(out.getvalue())) == list(STATUS)
    out = io.StringIO()
    render(STATUS, "yaml", out)
    import yaml

    assert yaml.safe_load(out.getvalue()) == STATUS
    assert "SignatureFileContents: |\n  version:2.0\n" in out.getvalue()


def test_jsonl_is_one_document_a_line():
    out = io.StringIO()
    render([{"a": "line\nbreak"}, {"b": "ü"}], "jsonl", out)
    assert out.getvalue() == '{"a": "line\\nbreak"}\n{"b": "ü"}\n'
