"""signature verify: is the SIGNATURE on the device the job's, before you ship it?"""

from __future__ import annotations

import click

from ..errors import OutcomeError
from . import group
from .params import DIRECTORY, JOB_ID


@group("signature")
def signatures():
    """Check the SIGNATURE file on a device against its job."""


@signatures.command("verify")
@click.argument("directory", type=DIRECTORY)
@click.argument("job_id", type=JOB_ID)
@click.pass_obj
def signature_verify(state, directory, job_id):
    """Compare DIR/SIGNATURE with the job's SignatureFileContents.  Exit 0 when they match, 1 when
    not (missing or different).

    \b
    Example:
      importexport signature verify /media/usb ABCDE
    """
    from ..signature_file import matches, require_dir

    require_dir(directory)  # before anything is sent
    status = state.client.call("GetStatus", {"JobId": job_id})
    ok, what = matches(directory, status.get("SignatureFileContents", ""))
    click.echo(what)
    if not ok:
        raise OutcomeError(f"SIGNATURE does not match job {job_id}",
                           hint=f"write it with `importexport get-status {job_id} --signature-dir {directory} "
                                "--force`")
