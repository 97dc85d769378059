"""get-shipping-label."""

from __future__ import annotations

import sys
from contextlib import nullcontext

import click

from ..errors import InputError
from . import command
from .params import FILE, file_value, input_options, job_ids_from, merge_input_json, print_skeleton

ADDRESS_FLAGS = (("name", "--name"), ("company", "--company"), ("phoneNumber", "--phone-number"),
                 ("country", "--country"), ("stateOrProvince", "--state-or-province"), ("city", "--city"),
                 ("postalCode", "--postal-code"), ("street1", "--street1"), ("street2", "--street2"),
                 ("street3", "--street3"))


def address_options(function):
    for member, flag in reversed(ADDRESS_FLAGS):
        function = click.option(flag, member, metavar="TEXT", help=f"Return address: {member}.")(function)
    return function


@command("get-shipping-label")
@click.argument("job_ids", nargs=-1)
@click.option("--job-ids", "job_id_options", multiple=True,
              help="Job ids (several after it, or a JSON list, as aws takes them).")
@address_options
@click.option("--api-version", metavar="V", help="The client tool version (APIVersion).")
@click.option("--download", type=FILE, help="Save the label PDF to FILE (atomically).")
@input_options
@click.pass_obj
def labels_get(state, job_ids, job_id_options, api_version, download, input_json, skeleton, **address):
    """Get the URL of a prepaid UPS label for shipping the devices of one or more jobs to AWS;
    `--download FILE` also fetches the PDF, with a progress bar on a terminal.

    \b
    Example:
      importexport get-shipping-label ABCDE --name "Jane Roe" --street1 "123 Any Street" \\
          --city Anytown --state-or-province WA --postal-code 91011 --country USA \\
          --phone-number 206-555-1111 --download label.pdf
    """
    if skeleton:
        return print_skeleton("GetShippingLabel", skeleton)
    flag_of = dict(ADDRESS_FLAGS)
    flags = {member: file_value(value, flag_of[member]) for member, value in address.items()}
    params = merge_input_json("GetShippingLabel", input_json, {**flags, "APIVersion": api_version})
    ids = job_ids_from(job_id_options, job_ids) or job_ids_from(params.get("jobIds"))  # flags win
    if not ids:
        raise InputError("give at least one JOB_ID (or --job-ids)")
    params["jobIds"] = ids
    if download is not None:
        from ..workflows import check_destination

        check_destination(download)  # before anything is sent
    result = state.client.call("GetShippingLabel", params)
    state.emit(result)
    if download:
        save_label(state, result.get("ShippingLabelURL"), download)


def save_label(state, url: str | None, destination: str) -> None:
    from ..workflows import download

    if not url:
        raise InputError("the service returned no ShippingLabelURL to download")
    bar = nullcontext()
    if sys.stderr.isatty():
        from ..output import progress_bar

        bar = progress_bar(f"label → {destination}")
    with bar as progress:
        size = download(state.client, url, destination, progress.update if progress else None)
    state.notice(f"saved {destination} ({size} bytes)")
