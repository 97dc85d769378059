"""The manifest check: a corpus of good and bad manifests, YAML 1.1 traps, hostile files, templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importexport_cli.errors import InputError
from importexport_cli.manifest import MAX_BYTES, decode, validate
from importexport_cli.manifest_templates import template

CORPUS = Path(__file__).parent.parent / "manifests"
EXPECT = re.compile(r"^# expect: (\w+) (\d+):(\d+) (\S+)")


@pytest.mark.parametrize("path", sorted((CORPUS / "good").glob("*.yaml")), ids=lambda p: p.stem)
def test_good_manifests_pass(path):
    checked = validate(decode(path.read_bytes(), path.name))
    assert checked.ok, [p.format(path.name) for p in checked.errors]


@pytest.mark.parametrize("path", sorted((CORPUS / "bad").glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_manifests_report_code_line_and_column(path):
    code, line, column, field = EXPECT.match(path.read_text()).groups()
    job_type = "Export" if "export" in path.stem or "filesystem" in path.stem else None
    checked = validate(decode(path.read_bytes(), path.name), job_type)
    assert not checked.ok
    found = [(p.code, p.line, p.column, p.field) for p in checked.errors]
    assert (code, int(line), int(column), field) in found, found


def test_values_are_what_the_user_wrote():
    checked = validate("manifestVersion: 2.0\ndeviceId: 0049382\nbucket: my-bucket\neraseDevice: no\n"
                       "returnAddress:\n  name: J\n  street1: S\n  city: C\n  stateOrProvince: MA\n"
                       "  postalCode: 02134\n  phoneNumber: 555\n  country: USA\n")
    assert checked.ok
    values = checked.values()
    assert values["returnAddress"]["postalCode"] == "02134"  # not 1116 (YAML 1.1 octal)
    assert values["eraseDevice"] == "no"  # not False
    assert values["deviceId"] == "0049382" and values["manifestVersion"] == "2.0"


def test_unknown_keys_are_warnings_with_the_closest_name():
    checked = validate((CORPUS / "good" / "s3-import.yaml").read_text() + "bukcet: x\nlogprefix: y\n")
    assert checked.ok
    messages = [p.message for p in checked.warnings]
    assert any("did you mean bucket?" in m for m in messages)
    assert any("did you mean logPrefix?" in m for m in messages)


def test_access_key_must_be_the_signing_key_when_present():
    text = (CORPUS / "good" / "s3-import.yaml").read_text() + "accessKeyId: AKIDOTHER\n"
    assert validate(text, access_key="AKIDOTHER").ok
    problems = validate(text, access_key="AKIDMINE").errors
    assert [p.code for p in problems] == ["InvalidAccessKeyIdException"]


def test_uncertain_rules_only_warn():
    text = (CORPUS / "good" / "s3-import.yaml").read_text().replace("my-bucket", "Legacy_Bucket")
    text = text.replace("country: USA", "country: France").replace("    stateOrProvince: WA\n", "")
    checked = validate(text)
    assert checked.ok
    assert {p.code for p in checked.warnings} >= {"InvalidManifestFieldException", "MissingCustomsException"}


def test_job_type_decides_the_kind():
    text = (CORPUS / "good" / "s3-import.yaml").read_text()
    assert validate(text).kind == "s3-import"
    exported = validate(text, "Export")
    assert exported.kind == "s3-export"
    assert {"fileSystem", "operations", "logBucket", "pinCode"} <= {p.field for p in exported.errors}


def test_decode_bom_crlf_utf8_and_size():
    assert decode(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n") == "a: 1\nb: 2\n"
    with pytest.raises(InputError, match=r"byte 0xff at offset 3"):
        decode(b"a: \xff")
    with pytest.raises(InputError, match="limit is"):
        decode(b"a" * (MAX_BYTES + 1))


@pytest.mark.parametrize("kind", ["s3-import", "s3-export", "ebs-import", "glacier-import"])
def test_templates_pass_once_the_placeholders_are_filled(kind):
    text = template(kind)
    assert not validate(text).ok  # placeholders left: refused
    filled = re.sub(r"<[^<>]+>", lambda m: "my-bucket" if "bucket" in m[0] else "Jane", text)
    filled = filled.replace('postalCode: "Jane"', 'postalCode: "02134"').replace("country: Jane", "country: USA")
    checked = validate(filled, "Export" if kind == "s3-export" else "Import")
    assert checked.ok, [p.format(kind) for p in checked.errors]
    assert checked.kind == kind


@given(st.text(max_size=400))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_gives_problems_never_an_exception(text):
    checked = validate(text)
    for problem in checked.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.code or problem.severity == "warning"


yaml_like = st.recursive(
    st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), st.integers(), st.booleans(), st.none()),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(["bucket", "deviceId", "operations", "returnAddress",
                                                                "customs", "name", "x"]), children, max_size=4)),
    max_leaves=12)


@given(yaml_like)
@settings(max_examples=300, deadline=None)
def test_any_yaml_structure_gives_problems_never_an_exception(data):
    import yaml

    validate(yaml.safe_dump(data), None)
    validate(yaml.safe_dump(data), "Export")
