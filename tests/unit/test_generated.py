"""The checked-in man pages and completion scripts are what the CLI generates now."""

from __future__ import annotations

from ..conftest import ROOT


def test_man_pages_are_up_to_date():
    from importexport_cli.cli.manpages import render_all

    pages = render_all()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "man").glob("*.1")}
    assert set(pages) == set(on_disk), "run: python -m importexport_cli.cli.manpages man"
    for name, text in pages.items():
        assert on_disk[name] == text, f"{name} is stale; run: python -m importexport_cli.cli.manpages man"
    assert "importexport-get-status.1" in pages and "importexport-emulator-serve.1" in pages
    for text in pages.values():
        for section in (".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH EXIT STATUS", ".SH ENVIRONMENT", ".SH FILES"):
            assert section in text


def test_completion_scripts_are_up_to_date():
    from importexport_cli.cli.completion import SCRIPT_FILES, completion_script

    for shell, name in SCRIPT_FILES.items():
        assert (ROOT / "completions" / name).read_text(encoding="utf-8") == completion_script(shell), \
            "run: python -m importexport_cli.cli.completion completions"
