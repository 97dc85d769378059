"""Commented starter manifests (`manifest template`): they pass the check once the <placeholders>
are filled in."""

from __future__ import annotations

RETURN_ADDRESS = """\
# Where AWS ships the device back.  stateOrProvince is required for USA and Canada.
returnAddress:
    name: <your name>
    company: <company, or delete this line>
    street1: <street address>
    city: <city>
    stateOrProvince: <state or province>
    postalCode: "<postal code>"   # quoted, so a leading zero stays
    phoneNumber: <phone number>
    country: <country, e.g. USA>
"""

COMMON = """\
# The serial number (or sticker id) of the device; required.
deviceId: <device serial number>
# Optional: where to send status e-mails (several separated by ;).
# notificationEmail: you@example.com
# Optional: standard (default) or expeditedShipping (US only).
# serviceLevel: standard
"""

BODIES = {
    "s3-import": """\
manifestVersion: 2.0
# The bucket the device's files are copied into (it must exist and be yours).
bucket: <bucket name>
# Optional: a prefix put in front of every key (no / is added for you).
# prefix: imports/
# Required: the device is erased before it is returned; say yes to acknowledge it.
eraseDevice: yes
# Optional: private (default), public-read, public-read-write, authenticated-read.
acl: private
""",
    "s3-export": """\
manifestVersion: 2.0
# The file system AWS formats the device with: NTFS or EXT4.
fileSystem: NTFS
# The bucket the job log is written to (same region as the export buckets).
logBucket: <log bucket name>
# Exports are always encrypted: give a TrueCrypt password (or pinCode for a PIN device).
trueCryptPassword: <password>
# What to export: one or more buckets, optionally narrowed by prefix and markers.
operations:
  - exportBucket: <bucket name>
    # prefix: images/
    # beginMarker: images/2026-01-01
    # endMarker: images/2026-12-31
""",
    "ebs-import": """\
manifestVersion: 3.0
# The bucket the job log is written to.
logBucket: <log bucket name>
# Required: yes to have the device erased before it is returned.
eraseDevice: yes
# The whole device becomes an EBS snapshot in this region.
operations:
  - destination: ebs-snapshot
    source: device
    region: us-east-1
""",
    "glacier-import": """\
manifestVersion: 3.0
# The bucket the job log is written to.
logBucket: <log bucket name>
# Required: yes to have the device erased before it is returned.
eraseDevice: yes
# The whole device becomes one archive in an existing vault.
operations:
  - destination: glacier
    source: device
    region: us-east-1
    vaultName: <vault name>
    archiveComment: <archive description, 997 characters at most>
""",
}


def template(kind: str) -> str:
    title = {"s3-import": "Import into Amazon S3", "s3-export": "Export from Amazon S3",
             "ebs-import": "Import into an Amazon EBS snapshot",
             "glacier-import": "Import into an Amazon Glacier vault"}[kind]
    header = (f"# AWS Import/Export manifest: {title}.\n"
              "# Replace every <placeholder>, then: importexport manifest validate THIS_FILE\n")
    return header + BODIES[kind] + COMMON + RETURN_ADDRESS
