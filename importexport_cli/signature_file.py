"""The SIGNATURE file: checked before anything is sent, written atomically, compared with a job.

The write is: a temporary file with one fixed name in DIR, write, flush, fsync, rename over SIGNATURE,
fsync DIR.  A crash or Ctrl-C leaves the old file or the new one, never a partial one; a stale temporary
file from an earlier crash is removed first (anything left on the device root would be imported into S3).
rename() replaces a file on FAT/exFAT too.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

NAME = "SIGNATURE"
TEMP_NAME = ".SIGNATURE.importexport-partial"


@dataclass(frozen=True)
class Plan:
    """What writing SIGNATURE into a directory will do, decided before anything is sent."""

    directory: Path
    existing: bytes | None
    force: bool
    warning: str | None = None

    @property
    def path(self) -> Path:
        return self.directory / NAME


def check_dir(directory: str, *, force: bool = False) -> Plan:
    """DIR must exist and be writable; an existing SIGNATURE is noted (kept unless --force)."""
    path = require_dir(directory)
    _probe_writable(path)
    existing = None
    target = path / NAME
    if target.is_dir():
        raise InputError(f"{target} is a directory; cannot write the SIGNATURE file there")
    if target.exists():
        try:
            existing = target.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the existing {target}: {exc.strerror}") from None
    warning = None
    if not os.path.ismount(path):
        warning = (f"{directory} is not the root of a mounted file system; the service reads SIGNATURE "
                   "from the root of the device")
    return Plan(path, existing, force, warning)


def require_dir(directory: str) -> Path:
    """DIR as a Path, or an InputError saying why it cannot be used."""
    path = Path(directory)
    try:
        if not stat.S_ISDIR(os.stat(path).st_mode):
            raise InputError(f"signature directory {directory} is not a directory")
    except FileNotFoundError:
        raise InputError(f"signature directory {directory} does not exist") from None
    except (OSError, ValueError) as exc:  # too long, a NUL byte, no permission...
        raise InputError(f"signature directory {directory!r} cannot be used: "
                         f"{getattr(exc, 'strerror', None) or exc}") from None
    return path


def _probe_writable(directory: Path) -> None:
    """Create and remove the temporary file: the only honest test (root passes every access() check,
    a read-only or full device does not show in permissions).  Removes a stale one as a side effect."""
    temp = directory / TEMP_NAME
    try:
        _remove_stale(directory)
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.unlink(temp)
    except OSError as exc:
        raise InputError(f"signature directory {directory} is not writable: {exc.strerror}") from None


def refuse_replacing(plan: Plan, contents: bytes | None = None) -> None:
    """Raise when an existing, different SIGNATURE would be replaced without --force.

    Before CreateJob the new contents are not known yet: any existing SIGNATURE is refused then."""
    if plan.existing is None or plan.force or plan.existing == contents:
        return
    raise InputError(f"{plan.path} already exists with other contents; use --force to replace it",
                     hint="another job's SIGNATURE is on this device")


def write(plan: Plan, contents: str) -> bool:
    """Write SIGNATURE atomically; False when the same bytes were already there (left alone)."""
    data = contents.encode("utf-8")
    if plan.existing == data:
        _remove_stale(plan.directory)
        return False
    refuse_replacing(plan, data)
    temp = plan.directory / TEMP_NAME
    _remove_stale(plan.directory)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, plan.path)
    except BaseException:
        _remove_stale(plan.directory)
        raise
    _fsync_dir(plan.directory)
    return True


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _remove_stale(directory: Path) -> None:
    try:
        os.unlink(directory / TEMP_NAME)
    except FileNotFoundError:
        pass


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems (and platforms) cannot fsync a directory
        pass
    finally:
        os.close(fd)


def matches(directory: str, contents: str) -> tuple[bool, str]:
    """Does DIR/SIGNATURE hold exactly `contents`?  (match, what was found).  DIR may be read-only."""
    path = require_dir(directory) / NAME
    if not path.is_file():
        return False, f"{path} does not exist"
    data = path.read_bytes()
    if data == contents.encode("utf-8"):
        return True, f"{path} matches the job's SignatureFileContents"
    return False, f"{path} differs from the job's SignatureFileContents"
