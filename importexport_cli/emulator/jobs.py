"""The job lifecycle and the six operation handlers.

A job's status is computed from its creation time and the injectable clock (no background thread):
every `stage_seconds` it moves one stage along (NotReceived, Pending) -> (AtAWS, Pending) ->
(AtAWS, InProgress) -> (AtAWS, outcome) -> (Returned, outcome).  The outcome is chosen by the manifest's
deviceId, so every path can be tried: EMU-EXPIRE, EMU-ERRORS, EMU-DEVICEERROR, EMU-NOSIGNATURE.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from ..manifest import validate
from ..service import JOB_ID_PATTERN, MAX_JOBS_RANGE
from .label import render_pdf

ERASE_WARNING = "**** Device will be erased before being returned. ****"
OUTCOMES = {"EMU-ERRORS": "SuccessWithErrors", "EMU-DEVICEERROR": "DeviceError",
            "EMU-NOSIGNATURE": "MissingSignature"}
LOCATION_MESSAGES = {
    "NotReceived": "AWS has not received your device.",
    "AtAWS": "Your device is at AWS.",
    "Returned": "Your device has been returned by {Carrier}, tracking number {TrackingNumber}.",
}
PROGRESS_MESSAGES = {
    "Pending": "The specified job has not started.",
    "InProgress": "The data on your device is being transferred.",
    "Complete": "The specified job has completed successfully. See {LogKey} in {LogBucket}.",
    "SuccessWithErrors": "The job completed with {ErrorCount} errors. See {LogKey} in {LogBucket}.",
    "DeviceError": "The job was aborted: the device could not be read.",
    "MissingSignature": "The job was aborted: the SIGNATURE file is missing from the device's root.",
    "Canceled": "The specified job has been canceled.",
    "Expired": "The job expired: no device was received within 30 days.",
}
EMULATED_ERRORS = 7
API_VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ApiError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True)
class Account:
    access_key_id: str
    secret_access_key: str
    buckets: frozenset | None = None  # None: owns every bucket
    daily_job_quota: int = 5000

    def owns(self, bucket: str) -> bool:
        return self.buckets is None or bucket in self.buckets


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign_job(secret: str, job_id: str, manifest: str) -> str:
    """base64(HMAC-SHA1(secret, jobId + "\\n" + manifest)): checkable again from the job alone."""
    message = (job_id + "\n" + manifest.replace("\r\n", "\n")).encode("utf-8")
    return base64.b64encode(hmac.new(secret.encode("utf-8"), message, hashlib.sha1).digest()).decode()


def signature_file(job_id: str, signature: str) -> str:
    return f"version:2.0\nsigningMethod:HmacSHA1\njobId:{job_id}\nsignature:{signature}\n"


class Jobs:
    def __init__(self, store, clock, stage_seconds: float = 60):
        self.store, self.clock, self.stage_seconds = store, clock, stage_seconds

    # -- the lifecycle -------------------------------------------------------------------------
    def stage(self, job: dict, at: float | None = None) -> int:
        if not self.stage_seconds:
            return 0
        elapsed = (self.clock() if at is None else at) - job["created"]
        return max(0, min(4, int(elapsed // self.stage_seconds)))

    def status(self, job: dict) -> dict:
        canceled = job["canceled"] is not None
        stage = self.stage(job, job["canceled"] if canceled else None)
        outcome = OUTCOMES.get(job["device_id"], "Complete")
        if job["device_id"] == "EMU-EXPIRE":
            location, progress = "NotReceived", "Expired" if stage >= 1 else "Pending"
        else:
            location = ("NotReceived", "AtAWS", "AtAWS", "AtAWS", "Returned")[stage]
            progress = ("Pending", "Pending", "InProgress", outcome, outcome)[stage]
        if canceled:
            progress = "Canceled"
        info = {"LocationCode": location, "ProgressCode": progress, "ErrorCount": 0}
        if stage >= 3 and not canceled and progress != "Expired":
            info["LogBucket"] = job["log_bucket"]
            info["LogKey"] = f"{job['log_prefix'] or ''}{job['job_type'].lower()}-log-{job['job_id']}"
            if progress == "SuccessWithErrors":
                info["ErrorCount"] = EMULATED_ERRORS
        if location == "Returned":
            info["Carrier"] = "UPS"
            info["TrackingNumber"] = "1Z" + hashlib.sha1(job["job_id"].encode()).hexdigest()[:16].upper()
        info["LocationMessage"] = LOCATION_MESSAGES[location].format(**info)
        info["ProgressMessage"] = PROGRESS_MESSAGES.get(progress, progress).format(**info)
        return info

    def _job(self, account: Account, job_id: str | None, *, for_update: bool = False) -> dict:
        job = self.store.get_job(account.access_key_id, job_id) if job_id else None
        if job is None:
            raise ApiError("InvalidJobIdException", f"No such job {job_id}")
        if job["device_id"] == "EMU-EXPIRE" and self.stage(job) >= 2:
            raise ApiError("ExpiredJobIdException", f"Job {job_id} has expired")
        if for_update and job["canceled"] is not None:
            raise ApiError("CanceledJobIdException", f"Job {job_id} has been canceled")
        return job

    # -- manifests -----------------------------------------------------------------------------
    def _check_manifest(self, account: Account, job_type: str | None, manifest: str | None):
        job_type = _job_type(job_type)
        if manifest is None or not manifest.strip():
            raise ApiError("MissingParameterException", "The request must contain the parameter Manifest")
        checked = validate(manifest, job_type, account.access_key_id)
        if checked.errors:
            first = checked.errors[0]
            message = "Your manifest is not well-formed" if first.code == "MalformedManifestException" \
                else f"{first.field}: {first.message}"
            raise ApiError(first.code, f"{message} (line {first.line}, column {first.column})")
        values = checked.values()
        buckets = [values.get("bucket"), values.get("logBucket")] + [
            op.get("exportBucket") for op in values.get("operations") or [] if isinstance(op, dict)]
        for bucket in filter(None, buckets):
            if not account.owns(bucket):
                raise ApiError("NoSuchBucketException", f"The specified bucket does not exist: {bucket}")
        warning = ERASE_WARNING if str(values.get("eraseDevice", "")).lower() in ("yes", "true") else None
        return job_type, checked, values, warning

    # -- the operations ------------------------------------------------------------------------
    def create_job(self, account: Account, params: dict, base_url: str) -> dict:
        job_type, checked, values, warning = self._check_manifest(
            account, params.get("JobType"), params.get("Manifest"))
        artifacts = []
        if params.get("ValidateOnly"):
            return {"JobType": job_type, "WarningMessage": warning, "ArtifactList": artifacts}
        now = self.clock()
        if self.store.count_since(account.access_key_id, now - 86400) >= account.daily_job_quota:
            raise ApiError("CreateJobQuotaExceededException",
                           f"You have created {account.daily_job_quota} jobs in the last 24 hours")
        manifest = params["Manifest"]
        job_id = self.store.insert_job({
            "account": account.access_key_id, "job_type": job_type, "manifest": manifest,
            "device_id": str(values.get("deviceId") or ""), "created": now,
            "log_bucket": values.get("logBucket") or values.get("bucket"),
            "log_prefix": values.get("logPrefix"),
        }, lambda job_id: sign_job(account.secret_access_key, job_id, manifest))
        job = self.store.get_job(account.access_key_id, job_id)
        if checked.kind in ("ebs-import", "glacier-import"):
            artifacts.append({"Description": "Shipping Instructions",
                              "URL": self._label(account, base_url, [job_id], {}, "Shipping instructions")})
        return {"JobId": job_id, "JobType": job_type, "Signature": job["signature"],
                "SignatureFileContents": signature_file(job_id, job["signature"]),
                "WarningMessage": warning, "ArtifactList": artifacts}

    def get_status(self, account: Account, params: dict) -> dict:
        job = self._job(account, params.get("JobId"))
        return {"JobId": job["job_id"], "JobType": job["job_type"], **self.status(job),
                "Signature": job["signature"],
                "SignatureFileContents": signature_file(job["job_id"], job["signature"]),
                "CurrentManifest": job["manifest"], "CreationDate": iso(job["created"]), "ArtifactList": []}

    def update_job(self, account: Account, params: dict) -> dict:
        job = self._job(account, params.get("JobId"), for_update=True)
        if self.stage(job) >= 2:
            raise ApiError("UnableToUpdateJobIdException",
                           f"Job {job['job_id']} can no longer be updated: data transfer has started")
        job_type, _, values, warning = self._check_manifest(account, params.get("JobType"),
                                                            params.get("Manifest"))
        if not params.get("ValidateOnly"):
            self.store.update_job(account.access_key_id, job["job_id"], manifest=params["Manifest"],
                                  job_type=job_type, device_id=str(values.get("deviceId") or ""),
                                  log_bucket=values.get("logBucket") or values.get("bucket"),
                                  log_prefix=values.get("logPrefix"))
        return {"Success": True, "WarningMessage": warning, "ArtifactList": []}

    def cancel_job(self, account: Account, params: dict) -> dict:
        job = self._job(account, params.get("JobId"), for_update=True)
        if self.stage(job) >= 2:
            raise ApiError("UnableToCancelJobIdException",
                           f"Job {job['job_id']} can no longer be canceled: data transfer has started")
        if not self.store.cancel_job(account.access_key_id, job["job_id"], self.clock()):
            raise ApiError("CanceledJobIdException", f"Job {job['job_id']} has been canceled")
        return {"Success": True}

    def list_jobs(self, account: Account, params: dict) -> dict:
        limit = params.get("MaxJobs")
        low, high = MAX_JOBS_RANGE
        if limit is not None and not low <= limit <= high:
            raise ApiError("InvalidParameterException", f"MaxJobs must be between {low} and {high}")
        marker = params.get("Marker")
        if marker is not None and not JOB_ID_PATTERN.match(marker):
            raise ApiError("InvalidParameterException", f"Marker {marker!r} is not a job ID")
        page = self.store.list_jobs(account.access_key_id, marker, limit or high)
        if page is None:
            raise ApiError("InvalidParameterException", f"Marker {marker} is not one of your jobs")
        jobs, truncated = page
        return {"Jobs": [{"JobId": j["job_id"], "CreationDate": iso(j["created"]),
                          "IsCanceled": j["canceled"] is not None, "JobType": j["job_type"]} for j in jobs],
                "IsTruncated": truncated}

    def get_shipping_label(self, account: Account, params: dict, base_url: str) -> dict:
        job_ids = params.get("jobIds") or []
        if not job_ids:
            raise ApiError("MissingParameterException", "The request must contain the parameter jobIds")
        jobs = [self._job(account, job_id, for_update=True) for job_id in job_ids]
        address = {k: v for k, v in params.items() if k not in ("jobIds", "APIVersion") and v}
        if not address:
            returned = validate(jobs[0]["manifest"]).values().get("returnAddress")
            address = returned if isinstance(returned, dict) else {}
        if address and not all(address.get(k) for k in ("name", "street1", "city", "country")):
            raise ApiError("InvalidAddressException", "The address needs name, street1, city and country")
        url = self._label(account, base_url, [j["job_id"] for j in jobs], address, "UPS shipping label")
        return {"ShippingLabelURL": url, "Warning": ""}

    def _label(self, account: Account, base_url: str, job_ids: list[str], address: dict, title: str) -> str:
        token = secrets.token_hex(16)
        self.store.add_label(token, account.access_key_id, {"title": title, "jobs": job_ids,
                                                             "address": address})
        return f"{base_url}/labels/{token}.pdf"

    def label_pdf(self, token: str) -> bytes | None:
        label = self.store.get_label(token)
        if label is None:
            return None
        address = label["address"]
        lines = [f"Job{'s' if len(label['jobs']) > 1 else ''}: {', '.join(label['jobs'])}", "", "From:"]
        lines += [str(address[k]) for k in ("name", "company", "street1", "street2", "street3", "city",
                                            "stateOrProvince", "postalCode", "country", "phoneNumber")
                  if address.get(k)]
        lines += ["", "To: AWS Import/Export, 12345 Data Center Way, Anytown, WA 98101, USA",
                  "", "Emulated label - not valid for shipping."]
        return render_pdf(label["title"], lines)


def _job_type(value: str | None) -> str:
    if not value:
        raise ApiError("MissingParameterException", "The request must contain the parameter JobType")
    for known in ("Import", "Export"):
        if value.lower() == known.lower():
            return known
    raise ApiError("InvalidParameterException", f"JobType must be Import or Export, not {value!r}")


def check_api_version(params: dict) -> None:
    version = params.get("APIVersion")
    if version is not None and not API_VERSION_RE.match(version):
        raise ApiError("InvalidVersionException", f"APIVersion {version!r} is not a valid tool version")
