"""What takes several calls: CreateJob with recovery, many ids at once, wait, label download.

Plain functions over a Client; no click.  Messages for people go through `notice(text)`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from datetime import datetime, timezone

from .errors import (AmbiguousCreateError, ImportExportError, InputError, OutcomeError, RequestMaybeSent,
                     ServiceError, SignatureWriteError, TransportError, WaitTimeout)
from .service import ABORT_CODES, DEAD_ENDS, stage_of

RECOVERY_WINDOW = 300


def parse_time(text: str) -> float:
    text = text.strip().replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


# --- CreateJob ---------------------------------------------------------------------------------

def create_job(client, params: dict, notice) -> dict:
    """CreateJob; after an attempt that may have arrived, find the job instead of sending it again."""
    try:
        return client.call("CreateJob", params)
    except RequestMaybeSent as exc:
        return recover_created_job(client, params, exc.started_at, str(exc), notice)


def recover_created_job(client, params: dict, started_at: float, why: str, notice) -> dict:
    notice(f"{why}; not sending it again. Looking for the job among those created since "
           f"{datetime.fromtimestamp(started_at - RECOVERY_WINDOW, timezone.utc):%H:%M:%S}Z ...")
    cutoff = started_at - RECOVERY_WINDOW
    try:
        candidates = []
        for page in client.list_pages():
            jobs = page.get("Jobs", [])
            candidates += [j for j in jobs if j.get("JobType") == params["JobType"]
                           and not j.get("IsCanceled") and parse_time(j["CreationDate"]) >= cutoff]
            if jobs and parse_time(jobs[-1]["CreationDate"]) < cutoff:
                break
        matches = []
        for job in candidates:
            status = client.call("GetStatus", {"JobId": job["JobId"]})
            if status.get("CurrentManifest", "").strip() == params["Manifest"].strip():
                matches.append(status)
    except ImportExportError as exc:
        raise AmbiguousCreateError(
            f"{why}, and the check for the job failed too ({exc.message})",
            hint="run `importexport list-jobs` when the service answers, and `importexport get-status "
                 "JOB_ID` to compare each new job's CurrentManifest with yours before creating again") from None
    if len(matches) == 1:
        status = matches[0]
        notice(f"recovered: job {status['JobId']} was created by the attempt that lost its answer")
        return {key: status[key] for key in ("JobId", "JobType", "Signature", "SignatureFileContents",
                                             "ArtifactList") if key in status}
    if not matches:
        considered = ", ".join(j["JobId"] for j in candidates) or "none"
        raise AmbiguousCreateError(
            f"{why}; no job with this manifest has appeared since then (recent {params['JobType']} jobs "
            f"checked: {considered}), so it most likely never arrived",
            hint="check again in a minute with `importexport list-jobs --since <time>`, then run create-job "
                 "again if the job is still not there")
    raise AmbiguousCreateError(
        f"{why}; {len(matches)} jobs with this manifest were created since then "
        f"({', '.join(m['JobId'] for m in matches)}), so the job cannot be identified",
        hint="check each with `importexport get-status JOB_ID`, cancel the extra ones with "
             "`importexport cancel-job JOB_ID`, and write the SIGNATURE with "
             "`importexport get-status JOB_ID --signature-dir DIR`")


def write_signature(plan, result: dict, notice) -> None:
    """Write the job's SIGNATURE (after its result was printed); a different one needs --force."""
    job_id = result.get("JobId", "?")
    contents = result.get("SignatureFileContents")
    if contents is None:
        raise SignatureWriteError(f"the service returned no SignatureFileContents for job {job_id}")
    from . import signature_file

    try:
        written = signature_file.write(plan, contents)
    except OSError as exc:
        raise SignatureWriteError(
            f"job {job_id} exists, but its SIGNATURE could not be written to {plan.directory}: "
            f"{exc.strerror or exc}",
            hint=f"write it again with `importexport get-status {job_id} --signature-dir "
                 f"{plan.directory}`") from None
    notice(f"{'wrote' if written else 'kept the identical'} {plan.path}")


# --- many ids at once --------------------------------------------------------------------------

def call_many(client, operation: str, job_ids: list[str], concurrency: int = 16, extra: dict | None = None):
    """Call `operation` for each id concurrently; results in input order, a failure as its error."""
    extra = {k: v for k, v in (extra or {}).items() if v is not None}

    def one(job_id):
        try:
            return client.call(operation, {"JobId": job_id, **extra})
        except ImportExportError as exc:
            return exc

    if len(job_ids) == 1:
        return [one(job_ids[0])]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(job_ids)))) as pool:
        return list(pool.map(one, job_ids))


def error_document(job_id: str, error: ImportExportError) -> dict:
    code = error.code if isinstance(error, ServiceError) else type(error).__name__
    message = error.service_message if isinstance(error, ServiceError) else error.message
    return {"JobId": job_id, "Error": {"Code": code, "Message": message}}


# --- list-jobs: pages, --max-items and the AWS CLI's NextToken -------------------------------------

def encode_token(token: dict) -> str:
    """botocore's resume token: base64 of json.dumps with default separators."""
    return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def decode_token(text: str) -> tuple[str | None, int]:
    """A --starting-token (ours or the AWS CLI's) -> (Marker, items of its page to skip)."""
    try:
        token = json.loads(base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8"))
        marker, skip = token.get("Marker"), int(token.get("boto_truncate_amount", 0))
        if set(token) - {"Marker", "boto_truncate_amount"} or not (marker is None or isinstance(marker, str)) \
                or skip < 0:
            raise ValueError
    except (ValueError, UnicodeError, AttributeError, TypeError, binascii.Error):
        raise InputError(f"--starting-token {text!r} is not a token that list-jobs printed") from None
    return marker, skip


class JobListing:
    """Iterate jobs across pages as the AWS CLI paginator does; `next_token` is set when --max-items
    cut the listing (and `since` stops it at the first older job)."""

    def __init__(self, client, *, page_size=None, max_items=None, starting_token=None, since=None):
        self.client, self.page_size, self.max_items, self.since = client, page_size, max_items, since
        self.marker, self.skip = decode_token(starting_token) if starting_token else (None, 0)
        self.next_token: str | None = None

    def __iter__(self):
        marker, skip, total = self.marker, self.skip, 0
        while True:
            params = {"MaxJobs": self.page_size, "Marker": marker}
            page = self.client.call("ListJobs", {k: v for k, v in params.items() if v is not None})
            jobs = page.get("Jobs", [])[skip:]
            if self.max_items is not None and total + len(jobs) > self.max_items:
                keep = self.max_items - total
                yield from self._until_since(jobs[:keep])
                self.next_token = encode_token({"Marker": marker, "boto_truncate_amount": keep + skip})
                return
            if not (yield from self._until_since(jobs)):
                return
            total += len(jobs)
            if not page.get("IsTruncated") or not page.get("Jobs"):
                return
            marker, skip = page["Jobs"][-1]["JobId"], 0
            if self.max_items is not None and total == self.max_items:
                self.next_token = encode_token({"Marker": marker})
                return

    def _until_since(self, jobs):
        """Yield jobs not older than --since; False once an older one was seen."""
        for job in jobs:
            if self.since is not None and parse_time(job["CreationDate"]) < self.since:
                return False
            yield job
        return True


# --- wait --------------------------------------------------------------------------------------

def judge(status: dict, target: str) -> str:
    """'reached', 'failed' (the job ended elsewhere) or 'waiting'."""
    progress, location = status.get("ProgressCode", ""), status.get("LocationCode", "")
    if target in (progress, location):
        return "reached"
    if progress in DEAD_ENDS or (progress in ABORT_CODES and target != "Returned"):
        return "failed"
    goal = stage_of(target)
    if goal == 4 and stage_of(progress) == 4:
        return "failed"
    if goal >= 0 and max(stage_of(progress), stage_of(location)) >= goal:
        return "reached"
    return "waiting"


def wait_for(client, job_id: str, target: str, *, interval: float, timeout: float | None, clock, sleep,
             on_status=None, on_error=None) -> dict:
    deadline = None if timeout is None else clock() + timeout
    status: dict = {}
    while True:
        try:
            status = client.call("GetStatus", {"JobId": job_id})
        except ServiceError as exc:
            if exc.code == "ExpiredJobIdException":
                raise OutcomeError(f"job {job_id} expired before reaching {target}") from None
            raise
        except TransportError as exc:
            if on_error:
                on_error(exc)
        else:
            if on_status:
                on_status(status)
            verdict = judge(status, target)
            if verdict == "reached":
                return status
            if verdict == "failed":
                error = OutcomeError(f"job {job_id} ended as {status.get('LocationCode')}/"
                                     f"{status.get('ProgressCode')}, not {target}")
                error.status = status
                raise error
        if deadline is not None and clock() + interval > deadline:
            error = WaitTimeout(f"job {job_id} did not reach {target} within {timeout:g}s")
            error.status = status
            raise error
        sleep(interval)


# --- the shipping label ------------------------------------------------------------------------

def check_destination(destination: str) -> str:
    """The folder of a download target must exist, and the target must not be a folder; returns it."""
    directory = os.path.dirname(destination) or "."
    if not os.path.basename(destination).strip() or os.path.isdir(destination):
        raise InputError(f"--download needs a file name, not {destination!r}")
    if not os.path.isdir(directory):  # False for a path with a NUL byte, too
        raise InputError(f"--download: the folder {directory!r} does not exist")
    return directory


def download(client, url: str, destination: str, progress=None) -> int:
    """Fetch url into destination atomically (temporary file beside it, then rename)."""
    import tempfile
    from pathlib import Path

    target = Path(destination)
    directory = check_destination(destination)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "wb") as sink:
            size = client.download(url, sink, progress)
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    return size
