"""list-jobs' three modes: raw (one call, as --max-jobs/--marker/--no-paginate ask), paginated and
collected (tables, yaml, --query), and paginated and streamed (json, jsonl, text: bounded memory)."""

from __future__ import annotations

import sys

from ..errors import InputError


def list_jobs(state, *, max_items, page_size, starting_token, since, raw: dict) -> None:
    from ..workflows import JobListing, parse_time

    paging = {"--max-items": max_items, "--page-size": page_size, "--starting-token": starting_token}
    raw_flags = {k: v for k, v in raw.items() if k in ("MaxJobs", "Marker") and v is not None}
    no_paginate = bool(state.given.get("no_paginate"))
    given = [name for name, value in paging.items() if value is not None]
    if (raw_flags or no_paginate) and given:
        what = "--no-paginate" if no_paginate else "--max-jobs/--marker"
        raise InputError(f"{what} makes one raw call; it cannot be combined with {', '.join(given)}")
    since_time = None
    if since is not None:
        try:
            since_time = parse_time(since if "T" in since else since + "T00:00:00Z")
        except ValueError:
            raise InputError(f"--since {since!r} is not an ISO 8601 date or time") from None
    if raw_flags or no_paginate:
        return state.emit(state.client.call("ListJobs", {k: v for k, v in raw.items() if v is not None}))
    listing = JobListing(  # decodes --starting-token: a bad one is refused before anything is sent
        state.client, page_size=page_size, max_items=max_items, starting_token=starting_token, since=since_time)
    fmt = state.output_format
    if state.query() is not None or fmt in ("table", "yaml"):
        jobs = list(listing)
        result = {"Jobs": jobs, **({"NextToken": listing.next_token} if listing.next_token else {})}
        return state.emit(result)
    stream(listing, fmt, sys.stdout, state.notice)


def stream(listing, fmt: str, out, notice) -> None:
    """Print jobs as pages arrive: the same bytes as printing the whole result at once."""
    from ..output import render_jsonl, render_text, stream_json_list
    from .state import remember_job_ids

    def jobs():
        seen = []
        for job in listing:
            if len(seen) < 200:
                seen.append(job)
            yield job
        remember_job_ids({"Jobs": seen})

    if fmt == "json":
        trailer = {}

        def items():
            yield from jobs()
            if listing.next_token:
                trailer["NextToken"] = listing.next_token

        stream_json_list(out, "Jobs", items(), trailer)
    elif fmt == "jsonl":
        for job in jobs():
            render_jsonl(job, out)
        if listing.next_token:
            notice(f"more jobs: --starting-token {listing.next_token}")
    else:
        for job in jobs():
            render_text({"Jobs": [job]}, out)
        if listing.next_token:
            render_text({"NextToken": {"NextToken": listing.next_token}}, out)
