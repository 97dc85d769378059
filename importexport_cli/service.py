"""The AWS Import/Export API (2010-06-01) as data.

Everything that knows the shape of the service reads this one table: the client's serializer and
parser, the emulator's decoder and encoder, the CLI's flags and the docs.  Member order is the
botocore model's order, which is the order `aws --output json` prints.
"""

from __future__ import annotations

import re
from typing import NamedTuple

API_VERSION = "2010-06-01"
ACCEPTED_VERSIONS = ("2010-06-01", "2010-06-03")
XML_NAMESPACE = "http://importexport.amazonaws.com/doc/2010-06-01/"
GLOBAL_ENDPOINT = "https://importexport.amazonaws.com"
SIGNING_NAME = "IngestionService"
SIGNING_REGION = "us-east-1"
CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"

JOB_TYPES = ("Import", "Export")
# Five characters, A-Z and 1-9 without the letter O (no 0/O confusion).
JOB_ID_ALPHABET = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"
JOB_ID_PATTERN = re.compile(r"^[A-Z1-9]{5}$")
MAX_JOBS_RANGE = (0, 1000)

# Output shapes: member name -> type; a list is ("list", item shape), a structure a dict.
ARTIFACT = {"Description": "string", "URL": "string"}
JOB = {"JobId": "string", "CreationDate": "timestamp", "IsCanceled": "boolean", "JobType": "string"}


class Input(NamedTuple):
    name: str
    type: str = "string"  # string | boolean | integer | list
    required: bool = False


class Operation(NamedTuple):
    name: str
    inputs: tuple[Input, ...]
    output: dict
    errors: tuple[str, ...] = ()


_API = Input("APIVersion")
_ADDRESS = tuple(
    Input(n)
    for n in ("name", "company", "phoneNumber", "country", "stateOrProvince", "city",
              "postalCode", "street1", "street2", "street3")
)
_MANIFEST_ERRORS = (
    "MissingParameterException", "InvalidParameterException", "InvalidAccessKeyIdException",
    "InvalidAddressException", "InvalidManifestFieldException", "MissingManifestFieldException",
    "NoSuchBucketException", "MissingCustomsException", "InvalidCustomsException",
    "InvalidFileSystemException", "MultipleRegionsException", "BucketPermissionException",
    "MalformedManifestException",
)

OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation(
            "CreateJob",
            (Input("JobType", required=True), Input("Manifest", required=True),
             Input("ManifestAddendum"), Input("ValidateOnly", "boolean", required=True), _API),
            {"JobId": "string", "JobType": "string", "Signature": "string",
             "SignatureFileContents": "string", "WarningMessage": "string",
             "ArtifactList": ("list", ARTIFACT)},
            _MANIFEST_ERRORS + ("CreateJobQuotaExceededException", "InvalidJobIdException",
                                "InvalidVersionException"),
        ),
        Operation(
            "CancelJob",
            (Input("JobId", required=True), _API),
            {"Success": "boolean"},
            ("InvalidJobIdException", "ExpiredJobIdException", "CanceledJobIdException",
             "UnableToCancelJobIdException", "InvalidAccessKeyIdException", "InvalidVersionException"),
        ),
        Operation(
            "GetShippingLabel",
            (Input("jobIds", "list", required=True),) + _ADDRESS + (_API,),
            {"ShippingLabelURL": "string", "Warning": "string"},
            ("InvalidJobIdException", "ExpiredJobIdException", "CanceledJobIdException",
             "InvalidAccessKeyIdException", "InvalidAddressException", "InvalidVersionException",
             "InvalidParameterException"),
        ),
        Operation(
            "GetStatus",
            (Input("JobId", required=True), _API),
            {"JobId": "string", "JobType": "string", "LocationCode": "string",
             "LocationMessage": "string", "ProgressCode": "string", "ProgressMessage": "string",
             "Carrier": "string", "TrackingNumber": "string", "LogBucket": "string",
             "LogKey": "string", "ErrorCount": "integer", "Signature": "string",
             "SignatureFileContents": "string", "CurrentManifest": "string",
             "CreationDate": "timestamp", "ArtifactList": ("list", ARTIFACT)},
            ("InvalidJobIdException", "ExpiredJobIdException", "CanceledJobIdException",
             "InvalidAccessKeyIdException", "InvalidVersionException"),
        ),
        Operation(
            "ListJobs",
            (Input("MaxJobs", "integer"), Input("Marker"), _API),
            {"Jobs": ("list", JOB), "IsTruncated": "boolean"},
            ("InvalidParameterException", "InvalidAccessKeyIdException", "InvalidVersionException"),
        ),
        Operation(
            "UpdateJob",
            (Input("JobId", required=True), Input("Manifest", required=True),
             Input("JobType", required=True), Input("ValidateOnly", "boolean", required=True), _API),
            {"Success": "boolean", "WarningMessage": "string", "ArtifactList": ("list", ARTIFACT)},
            _MANIFEST_ERRORS + ("InvalidJobIdException", "ExpiredJobIdException",
                                "CanceledJobIdException", "UnableToUpdateJobIdException",
                                "InvalidVersionException"),
        ),
    )
}

# Every error code the service's model names.
SERVICE_ERRORS = frozenset(code for op in OPERATIONS.values() for code in op.errors) | {
    "InvalidClientTokenIdException"}
# Codes any AWS query-protocol service answers with (authentication, request checks, availability).
COMMON_ERRORS = frozenset({
    "IncompleteSignature", "InvalidClientTokenId", "MissingAuthenticationToken", "SignatureDoesNotMatch",
    "RequestExpired", "RequestTimeTooSkewed", "RequestInTheFuture", "AccessDenied", "AccessDeniedException",
    "AuthFailure", "OptInRequired", "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException",
    "InvalidAction", "MissingAction", "MalformedQueryString", "InvalidParameterValue", "InvalidParameterCombination",
    "MissingParameter", "InvalidQueryParameter", "ValidationError", "RequestEntityTooLarge",
    "InternalError", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException",
})

# --- Status codes and the lifecycle (facts 6.1-6.3) ---------------------------------------------
LOCATION_CODES = ("NotReceived", "AtAWS", "Returned")
ABORT_CODES = ("DeviceError", "InvalidSignature", "MissingSignature", "MissingDevice",
               "UnsupportedDeviceType", "UnsupportedFileFormat", "UnsupportedPowerSupply")
FINISHED_CODES = ("Complete", "Success", "SuccessWithErrors")
END_CODES = FINISHED_CODES + ABORT_CODES + ("Canceled", "Expired")
PROGRESS_CODES = ("Pending", "Started", "InProgress") + END_CODES
# A job's path, stage by stage; the later a code stands, the further along the job is.
LIFECYCLE = (("NotReceived",), ("Pending",), ("AtAWS",), ("Started", "InProgress"),
             FINISHED_CODES + ABORT_CODES, ("Returned",))
# Where a job stops and can never reach anything later than it.
DEAD_ENDS = ("Canceled", "Expired")
KNOWN_CODES = LOCATION_CODES + PROGRESS_CODES


def stage_of(code: str) -> int:
    """Index of a status code in LIFECYCLE (-1 for the dead ends Canceled and Expired)."""
    for index, codes in enumerate(LIFECYCLE):
        if code in codes:
            return index
    return -1


# --- Retries (SPEC 5) ------------------------------------------------------------------------------
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException",
})
TRANSIENT_CODES = frozenset({"RequestTimeout", "RequestTimeoutException", "InternalError",
                             "ServiceUnavailable"})
KNOWN_ERRORS = SERVICE_ERRORS | COMMON_ERRORS | THROTTLING_CODES | TRANSIENT_CODES
CLOCK_SKEW_CODES = frozenset({"RequestExpired", "RequestTimeTooSkewed", "SignatureDoesNotMatch",
                              "RequestInTheFuture", "InvalidSignatureException"})

# Fields whose values are secrets: masked in tables, --debug and --dry-run.
SECRET_MANIFEST_FIELDS = ("trueCryptPassword", "pinCode")
