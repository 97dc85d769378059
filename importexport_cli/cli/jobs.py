"""create-job, update-job, cancel-job, get-status, list-jobs, wait."""

from __future__ import annotations

import sys

import click

from ..errors import ImportExportError, InputError, ManifestError
from ..service import MAX_JOBS_RANGE
from . import command
from .params import (DIRECTORY, FILE, JOB_ID, JOB_TYPE, STATUS_CODE, file_value, input_options, job_ids_from, merge_input_json,
                     print_skeleton, read_manifest, require)

MANIFEST_HELP = "The manifest: a file path, file://PATH, - for stdin, or inline YAML text."


def check_manifest(state, text: str, name: str, job_type: str | None) -> None:
    """The local check before sending: every problem on stderr; nothing is sent when one is an error."""
    from ..manifest import validate

    credentials = state.settings().credentials
    checked = validate(text, job_type, credentials.access_key if credentials else None)
    for problem in checked.problems:
        click.echo(problem.format(name), err=True)
    if not checked.ok:
        count = len(checked.errors)
        raise ManifestError(f"{name}: the manifest has {count} error{'s' if count > 1 else ''}; nothing "
                            "was sent (--no-manifest-check skips this check)", checked.problems)


def manifest_params(state, operation: str, input_json, flags: dict, check: bool) -> dict:
    """Merge --cli-input-json and flags, read the manifest argument, run the local check."""
    manifest_flag = flags.get("Manifest")
    params = merge_input_json(operation, input_json, flags)
    params.setdefault("ValidateOnly", False)
    require(params, operation, {"JobType": "--job-type", "Manifest": "--manifest", "JobId": "JOB_ID"})
    params["JobType"] = JOB_TYPE.convert(params["JobType"], None, None)
    name = "--cli-input-json Manifest"
    if manifest_flag is not None:
        params["Manifest"], name = read_manifest(manifest_flag)
    if params.get("ManifestAddendum") is not None:
        params["ManifestAddendum"] = file_value(params["ManifestAddendum"], "--manifest-addendum")
    if check:
        check_manifest(state, params["Manifest"], name, params["JobType"])
    return params


def manifest_options(function):
    function = click.option("--api-version", metavar="V", help="The client tool version (APIVersion).")(function)
    function = click.option("--validate-only/--no-validate-only", default=None,
                            help="Only validate the manifest on the service (default: create).")(function)
    function = click.option("--manifest", metavar="M", type=FILE, help=MANIFEST_HELP)(function)
    function = click.option("--job-type", type=JOB_TYPE, help="Import or Export (any case).")(function)
    return click.option("--no-manifest-check", is_flag=True,
                        help="Skip the local manifest check before sending.")(function)


def signature_plan(directory: str | None, force: bool):
    if directory is None:
        return None
    from ..signature_file import check_dir

    return check_dir(directory, force=force)


@command("create-job")
@manifest_options
@click.option("--manifest-addendum", metavar="M", type=FILE, help="Internal-use addendum text (or file://PATH).")
@click.option("--signature-dir", type=DIRECTORY, help="Write DIR/SIGNATURE from the response, atomically.")
@click.option("--force", is_flag=True, help="Replace a SIGNATURE in DIR that holds other contents.")
@input_options
@click.pass_obj
def jobs_create(state, no_manifest_check, job_type, manifest, validate_only, api_version, manifest_addendum,
                signature_dir, force, input_json, skeleton):
    """Create an import or export job from a manifest; optionally write the SIGNATURE file.

    The manifest is checked locally first; nothing is sent when it has errors.  DIR is checked before
    sending, so no job is created whose SIGNATURE cannot be written.

    \b
    Example:
      importexport create-job --job-type Import --manifest manifest.yaml --signature-dir /media/usb
    """
    if skeleton:
        return print_skeleton("CreateJob", skeleton)
    from ..signature_file import refuse_replacing
    from ..workflows import create_job, write_signature

    params = manifest_params(state, "CreateJob", input_json, {
        "JobType": job_type, "Manifest": manifest, "ManifestAddendum": manifest_addendum,
        "ValidateOnly": validate_only, "APIVersion": api_version}, not no_manifest_check)
    plan = signature_plan(signature_dir, force) if not params["ValidateOnly"] else None
    if plan:
        refuse_replacing(plan)
        if plan.warning:
            state.notice(f"warning: {plan.warning}")
    result = create_job(state.client, params, state.notice)
    state.emit(result)
    if plan:
        write_signature(plan, result, state.notice)


@command("update-job")
@click.argument("job_id", required=False, type=JOB_ID)
@click.option("--job-id", "job_id_option", type=JOB_ID, help="The job to update (or give JOB_ID).")
@manifest_options
@input_options
@click.pass_obj
def jobs_update(state, job_id, job_id_option, no_manifest_check, job_type, manifest, validate_only,
                api_version, input_json, skeleton):
    """Replace the manifest of a job that has not started yet.

    \b
    Example:
      importexport update-job ABCDE --job-type Import --manifest manifest.yaml
    """
    if skeleton:
        return print_skeleton("UpdateJob", skeleton)
    params = manifest_params(state, "UpdateJob", input_json, {
        "JobId": job_id_option or job_id, "JobType": job_type, "Manifest": manifest,
        "ValidateOnly": validate_only, "APIVersion": api_version}, not no_manifest_check)
    state.emit(state.client.call("UpdateJob", params))


def for_each_job(state, operation: str, ids: list[str], single: bool, extra: dict, concurrency: int = 16):
    """Run `operation` for every id; one id prints one document, several a list (errors in place)."""
    from ..workflows import call_many, error_document

    if not ids:
        raise InputError("give at least one JOB_ID (or - to read them from stdin)")
    client = state.client
    results = call_many(client, operation, ids, concurrency, extra)
    if single:
        if isinstance(results[0], ImportExportError):
            raise results[0]
        state.emit(results[0])
        return results[0]
    documents = [error_document(i, r) if isinstance(r, ImportExportError) else r for i, r in zip(ids, results)]
    state.emit(documents, each=True)
    failures = [(i, r) for i, r in zip(ids, results) if isinstance(r, ImportExportError)]
    for job_id, error in failures:
        state.notice(f"{job_id}: {error.message}")
    codes = [int(error.exit_code) for _, error in failures]
    if codes:
        state.ctx.exit(max(codes))
    return None


@command("cancel-job")
@click.argument("job_ids", nargs=-1)
@click.option("--job-id", "job_id_options", multiple=True, help="A job to cancel (repeatable).")
@click.option("--api-version", metavar="V", help="The client tool version (APIVersion).")
@click.pass_obj
def jobs_cancel(state, job_ids, job_id_options, api_version):
    """Cancel jobs that have not started yet.  `-` reads ids from stdin, one a line.

    \b
    Example:
      importexport cancel-job ABCDE FGHIJ
    """
    ids = job_ids_from(job_id_options, job_ids)
    single = len(ids) == 1 and "-" not in job_ids
    for_each_job(state, "CancelJob", ids, single, {"APIVersion": api_version})


@command("get-status")
@click.argument("job_ids", nargs=-1, type=JOB_ID)
@click.option("--job-id", "job_id_options", multiple=True, type=JOB_ID, help="A job (repeatable).")
@click.option("--api-version", metavar="V", help="The client tool version (APIVersion).")
@click.option("--signature-dir", type=DIRECTORY, help="Write DIR/SIGNATURE for the job (one id only).")
@click.option("--force", is_flag=True, help="Replace a SIGNATURE in DIR that holds other contents.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=16, show_default=True,
              help="How many ids are fetched at once.")
@input_options
@click.pass_obj
def jobs_status(state, job_ids, job_id_options, api_version, signature_dir, force, concurrency, input_json,
                skeleton):
    """Show the status of one or more jobs.  Several ids (or `-` to read them from stdin) are
    fetched concurrently and printed in input order, a failed id as {"JobId", "Error"} in its place.

    \b
    Examples:
      importexport get-status ABCDE
      importexport list-jobs --query 'Jobs[].JobId' --output text | tr '\\t' '\\n' | importexport get-status -
      importexport get-status ABCDE --signature-dir /media/usb
    """
    if skeleton:
        return print_skeleton("GetStatus", skeleton)
    from ..workflows import write_signature

    from_json = merge_input_json("GetStatus", input_json, {}).get("JobId") if input_json else None
    ids = job_ids_from(job_id_options, job_ids, [from_json] if from_json else ())
    single = len(ids) == 1 and "-" not in job_ids
    if signature_dir and not single:
        raise InputError("--signature-dir takes exactly one JOB_ID")
    plan = signature_plan(signature_dir, force)
    result = for_each_job(state, "GetStatus", ids, single, {"APIVersion": api_version}, concurrency)
    if plan:
        if plan.warning:
            state.notice(f"warning: {plan.warning}")
        write_signature(plan, result, state.notice)


@command("list-jobs")
@click.option("--max-items", type=click.IntRange(min=1), help="Print at most N jobs, then a NextToken.")
@click.option("--page-size", type=click.IntRange(1, MAX_JOBS_RANGE[1]), help="Jobs asked for per call.")
@click.option("--starting-token", metavar="T", help="Continue from a NextToken printed before.")
@click.option("--since", metavar="DATE", help="Only jobs created at or after DATE (ISO 8601); stops paging.")
@click.option("--max-jobs", type=click.IntRange(*MAX_JOBS_RANGE), help="Raw MaxJobs: one call.")
@click.option("--marker", metavar="JOB_ID", help="Raw Marker: one call, listing jobs after this one.")
@click.option("--api-version", metavar="V", help="The client tool version (APIVersion).")
@input_options
@click.pass_obj
def jobs_list(state, max_items, page_size, starting_token, since, max_jobs, marker, api_version, input_json,
              skeleton):
    """List jobs, newest first, following pages automatically.

    \b
    Examples:
      importexport list-jobs --max-items 20
      importexport list-jobs --since 2026-11-01 --output jsonl
      importexport list-jobs --max-jobs 10 --marker ABCDE     # one raw call, prints IsTruncated
    """
    if skeleton:
        return print_skeleton("ListJobs", skeleton)
    from .listing import list_jobs

    list_jobs(state, max_items=max_items, page_size=page_size, starting_token=starting_token, since=since,
              raw=merge_input_json("ListJobs", input_json, {"MaxJobs": max_jobs, "Marker": marker,
                                                              "APIVersion": api_version}))


@command("wait")
@click.argument("job_id", type=JOB_ID)
@click.option("--until", "code", required=True, type=STATUS_CODE,
              help="A ProgressCode or LocationCode; a later stage counts too.")
@click.option("--interval", type=click.FloatRange(min=0.01), default=30, show_default=True,
              help="Seconds between polls.")
@click.option("--timeout", type=click.FloatRange(min=0), help="Give up after this many seconds (exit 124).")
@click.pass_obj
def jobs_wait(state, job_id, code, interval, timeout):
    """Poll GetStatus until the job reaches CODE (or a later stage: polling can miss a short one).

    Exit 0 when reached, 1 when the job ended elsewhere (Canceled, Expired, an abort code), 124 on
    --timeout.  A live status line goes to stderr on a terminal; the final status to stdout.

    \b
    Example:
      importexport wait ABCDE --until Complete --interval 60 --timeout 86400
    """
    import time

    from ..workflows import wait_for

    live = sys.stderr.isatty()

    def show(status):
        if live:
            click.echo(f"\r\x1b[K{job_id}: {status.get('LocationCode')} / {status.get('ProgressCode')}",
                       err=True, nl=False)

    def transient(error):
        state.notice(f"{error.message}; still polling")

    try:
        status = wait_for(state.client, job_id, code, interval=interval, timeout=timeout, clock=time.monotonic,
                          sleep=time.sleep, on_status=show, on_error=transient)
    except ImportExportError as exc:
        if live:
            click.echo("", err=True)
        if getattr(exc, "status", None):
            state.emit(exc.status)
        raise
    if live:
        click.echo("", err=True)
    state.emit(status)
