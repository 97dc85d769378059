"""Odd Unicode, empty strings and huge values on the command line end with a documented exit code and a
message, never a traceback (run against the embedded emulator, in process)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import invoke

odd = st.one_of(st.text(max_size=30), st.just(""), st.text(min_size=2000, max_size=3000),
                st.sampled_from(["\x00", "\u202e", "-", "--", "file://", "fileb://", "[", "{}", "🚚", "\udcff"[:0]]))
DOCUMENTED = {0, 1, 124, 252, 253, 254, 255}


@pytest.fixture(autouse=True)
def local_endpoint(monkeypatch):
    monkeypatch.setenv("IMPORTEXPORT_ENDPOINT_URL", "local")


@given(st.sampled_from([
    ["get-status", "{}"], ["cancel-job", "{}"], ["create-job", "--job-type", "Import", "--manifest", "{}"],
    ["create-job", "--job-type", "{}", "--manifest", "a: b"], ["list-jobs", "--max-items", "{}"],
    ["list-jobs", "--starting-token", "{}"], ["list-jobs", "--since", "{}"], ["get-status", "X", "--query", "{}"],
    ["manifest", "validate", "{}"], ["get-shipping-label", "--job-ids", "{}"], ["wait", "{}", "--until", "{}"],
    ["get-status", "X", "--output", "{}"], ["update-job", "{}", "--job-type", "Export", "--manifest", "{}"],
    ["get-status", "X", "--signature-dir", "{}"], ["signature", "verify", "{}", "X"],
    ["get-shipping-label", "X", "--download", "{}"], ["get-status", "X", "--credentials-file", "{}"],
    ["get-status", "X", "--ca-bundle", "{}", "--endpoint-url", "https://127.0.0.1:9"],
    ["create-job", "--cli-input-json", "{}"], ["get-status", "X", "--endpoint-url", "{}"],
]), odd)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_odd_arguments_never_crash(template, value):
    args = [value if part == "{}" else part for part in template]
    result = invoke(*args)
    assert result.code in DOCUMENTED, (args, result.err)
    assert "Traceback" not in result.err, (args, result.err)
    assert not re.search(r"error: unexpected [A-Z]\w+:", result.err), (args, result.err)  # our last resort
    if result.code == 252:
        assert result.err.startswith("importexport: error:") or ": " in result.err
