"""manifest validate / template: the local check, offline, and starter manifests."""

from __future__ import annotations

import click

from ..errors import InputError, ManifestError
from . import group
from .params import FILE, JOB_TYPE, read_manifest, read_manifest_file

KINDS = {("Import", "s3"): "s3-import", ("Export", "s3"): "s3-export", ("Import", "ebs"): "ebs-import",
         ("Import", "glacier"): "glacier-import"}


@group("manifest")
def manifests():
    """Check manifests offline and write starter manifests."""


@manifests.command("validate")
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option("--job-type", type=JOB_TYPE, help="Import or Export (default: told from the manifest).")
@click.option("--access-key-id", metavar="KEY", help="Check accessKeyId against this key.")
def manifest_validate(files, job_type, access_key_id):
    """Check manifests offline, as create-job does before sending: every problem, one a line, as
    FILE:LINE:COLUMN: field: what is wrong (ServiceErrorCode).  Exit 0 when valid (warnings
    allowed), 252 when not.  `-` reads stdin.

    \b
    Example:
      importexport manifest validate manifest.yaml
    """
    from ..manifest import validate

    failed = 0
    for value in files:
        try:  # FILE is a path (never inline YAML); `-` is stdin
            text, name = read_manifest("-") if value == "-" else \
                read_manifest_file(value.removeprefix("file://"), "manifest validate")
        except InputError as exc:
            click.echo(f"importexport: error: {exc.message}", err=True)
            failed += 1
            continue
        checked = validate(text, job_type, access_key_id)
        for problem in checked.problems:
            click.echo(problem.format(name))
        if checked.ok:
            click.echo(f"{name}: valid {checked.kind} manifest"
                       + (f" ({len(checked.warnings)} warnings)" if checked.warnings else ""), err=True)
        else:
            failed += 1
    if failed:
        raise ManifestError(f"{failed} of {len(files)} manifest{'s' if len(files) > 1 else ''} failed the check")


@manifests.command("template")
@click.option("--job-type", type=JOB_TYPE, default="Import", show_default=True, help="Import or Export.")
@click.option("--kind", type=click.Choice(["s3", "ebs", "glacier"]), default="s3", show_default=True,
              help="Where the data goes: S3, an EBS snapshot or a Glacier vault.")
def manifest_template(job_type, kind):
    """Print a commented starter manifest; fill in its <placeholders>.

    \b
    Example:
      importexport manifest template --job-type Export > export.yaml
    """
    from ..manifest_templates import template

    if (job_type, kind) not in KINDS:
        raise InputError(f"an {job_type} job with --kind {kind} does not exist (exports are from S3)")
    click.echo(template(KINDS[(job_type, kind)]), nl=False)
