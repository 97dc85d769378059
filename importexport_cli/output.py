"""--query, then the json / jsonl / text / yaml / table renderers.  The only module that knows rich.

json and text are the AWS CLI v1's formats byte for byte (json: 4-space indent, ensure_ascii=False, the
model's key order; text: awscli's text.py rules).  Renderers are functions (data, stream) -> None.
"""

from __future__ import annotations

import json

from .errors import InputError
from .redact import MASK, mask_manifest
from .service import DEAD_ENDS, LIFECYCLE, SECRET_MANIFEST_FIELDS, stage_of


def compile_query(expression: str | None):
    if expression is None:
        return None
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.compile(expression)
    except JMESPathError as exc:
        raise InputError(f"--query {expression!r} is not valid JMESPath: {exc}".replace("\n", " ")) from None


def apply_query(query, data):
    return query.search(data) if query is not None else data


# --- json, jsonl, yaml ---------------------------------------------------------------------------

def render_json(data, stream) -> None:
    if data == {}:
        return
    stream.write(json.dumps(data, indent=4, ensure_ascii=False))
    stream.write("\n")


def render_jsonl(data, stream) -> None:
    for item in data if isinstance(data, list) else [data]:
        stream.write(json.dumps(item, ensure_ascii=False))
        stream.write("\n")


def render_yaml(data, stream) -> None:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper, value):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    stream.write(yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True,
                           default_flow_style=False, width=1000))


# --- text: the AWS CLI v1 text format ------------------------------------------------------------

def render_text(data, stream, identifier=None, scalar_keys=None) -> None:
    if isinstance(data, dict):
        scalars, non_scalars = [], []
        if scalar_keys is None:
            for key, value in sorted(data.items()):
                if isinstance(value, (dict, list)):
                    non_scalars.append((key, value))
                else:
                    scalars.append(str(value))
        else:
            scalars = [str(data.get(key, "")) for key in scalar_keys]
            non_scalars = [(key, data[key]) for key in sorted(set(data) - set(scalar_keys))]
        if scalars:
            if identifier is not None:
                scalars.insert(0, identifier.upper())
            stream.write("\t".join(scalars) + "\n")
        for key, value in non_scalars:
            render_text(value, stream, identifier=key)
    elif isinstance(data, list):
        _text_list(data, stream, identifier)
    else:
        stream.write(f"{data}\n")


def _text_list(items: list, stream, identifier) -> None:
    if not items:
        return
    if any(isinstance(item, dict) for item in items):
        keys = sorted({k for item in items if isinstance(item, dict)
                       for k, v in item.items() if not isinstance(v, (dict, list))})
        for item in items:
            render_text(item, stream, identifier=identifier, scalar_keys=keys)
    elif any(isinstance(item, list) for item in items):
        scalars = [i for i in items if not isinstance(i, (list, dict))]
        if scalars:
            _text_scalars(scalars, stream, identifier)
        for item in items:
            if isinstance(item, (list, dict)):
                render_text(item, stream, identifier=identifier)
    else:
        _text_scalars(items, stream, identifier)


def _text_scalars(items: list, stream, identifier) -> None:
    if identifier is not None:
        for item in items:
            stream.write(f"{identifier.upper()}\t{item}\n")
    else:
        stream.write("\t".join(str(i) for i in items) + "\n")


# --- json streamed: list-jobs over any number of pages, same bytes as render_json -------------

def stream_json_list(stream, key: str, items, trailer: dict) -> None:
    """Write {key: [items...], **trailer} as render_json would, one item at a time.  Nothing is
    written before the first item (or the end) arrives, so a failed first page prints nothing."""
    items = iter(items)
    item = next(items, _END)
    stream.write("{\n" + f"    {json.dumps(key)}: [")
    count = 0
    while item is not _END:
        text = json.dumps(item, indent=4, ensure_ascii=False)
        stream.write(("\n" if count == 0 else ",\n") + _indent(text, 8))
        count += 1
        item = next(items, _END)
    stream.write("]" if count == 0 else "\n    ]")
    for name, value in trailer.items():
        stream.write(f",\n    {json.dumps(name)}: "
                     + _indent(json.dumps(value, indent=4, ensure_ascii=False), 4).lstrip())
    stream.write("\n}\n")


_END = object()


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.split("\n"))


# --- tables: for people -------------------------------------------------------------------------

def _mask_value(key: str, value):
    if key in ("CurrentManifest", "Manifest") and isinstance(value, str):
        return mask_manifest(value)
    if key in SECRET_MANIFEST_FIELDS or key.lower().endswith(("secretaccesskey", "sessiontoken")):
        return MASK
    return value


def _cell(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "" if value is None else str(value)


def _stage_path(progress: str, location: str):
    """NotReceived > Pending > AtAWS > InProgress > Complete > Returned, the current stage marked."""
    from rich.text import Text

    if progress in DEAD_ENDS:
        return Text(f" {progress} ", style="bold reverse")
    current = max(stage_of(progress), stage_of(location))
    outcome = progress if stage_of(progress) == 4 else "Complete"
    names = ("NotReceived", "Pending", "AtAWS", "InProgress", outcome, "Returned")
    path = Text()
    for index, name in enumerate(names):
        style = "bold reverse" if index == current else ("" if index < current else "dim")
        path.append(f" {name} ", style=style)
        if index < len(LIFECYCLE) - 1:
            path.append(">", style="dim")
    return path


def _status_panel(data: dict):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in data.items():
        if key != "JobId" and value not in (None, [], ""):
            grid.add_row(key, _cell(_mask_value(key, value)))
    stage = _stage_path(data.get("ProgressCode", ""), data.get("LocationCode", ""))
    return Panel(Group(stage, "", grid), title=f"Job {data.get('JobId', '')}", title_align="left", expand=False)


def _rows_table(rows: list, title: str | None = None):
    from rich.table import Table

    columns = list(dict.fromkeys(k for row in rows if isinstance(row, dict) for k in row))
    table = Table(title=title, title_justify="left", show_lines=False)
    if not columns:
        table.add_column(title or "value")
        for row in rows:
            table.add_row(_cell(row))
        return table
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        row = row if isinstance(row, dict) else {columns[0]: row}
        table.add_row(*(_cell(_mask_value(c, row.get(c))) for c in columns))
    return table


def _kv_table(data: dict):
    from rich.table import Table

    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            table.add_row(key, _rows_table(value))
        else:
            table.add_row(key, _cell(_mask_value(key, value)))
    return table


def render_table(data, stream, *, color: str = "auto", width: int | None = None) -> None:
    from rich.console import Console

    class PipeAwareConsole(Console):
        def on_broken_pipe(self) -> None:  # rich would exit 1; a closed pipe ends quietly with 0 (cli)
            raise BrokenPipeError

    console = PipeAwareConsole(file=stream, width=width, no_color=color == "never",
                      force_terminal=True if color == "always" else None,
                      color_system=None if color == "never" else "auto", highlight=False,
                      soft_wrap=False)
    if isinstance(data, dict) and "ProgressCode" in data:
        console.print(_status_panel(data))
    elif isinstance(data, dict) and isinstance(data.get("Jobs"), list):
        console.print(_rows_table(data["Jobs"], title=f"{len(data['Jobs'])} jobs, newest first"))
        rest = {k: v for k, v in data.items() if k != "Jobs"}
        if rest:
            console.print(_kv_table(rest))
    elif isinstance(data, list) and all(isinstance(d, dict) and "ProgressCode" in d for d in data) and data:
        for item in data:
            console.print(_status_panel(item))
    elif isinstance(data, list):
        console.print(_rows_table(data))
    elif isinstance(data, dict):
        console.print(_kv_table(data))
    else:
        console.print(_cell(data))


RENDERERS = {"json": render_json, "jsonl": render_jsonl, "text": render_text, "yaml": render_yaml}


def render(data, fmt: str, stream, *, query=None, color: str = "auto") -> None:
    data = apply_query(query, data)
    if fmt == "table":
        render_table(data, stream, color=color)
    else:
        RENDERERS[fmt](data, stream)


class progress_bar:
    """A rich progress bar on stderr: `with progress_bar(label) as bar: bar.update(done, total)`."""

    def __init__(self, label: str):
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

        self._progress = Progress(TextColumn(label), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                                  console=Console(stderr=True), transient=False)
        self._task = None

    def __enter__(self):
        self._progress.__enter__()
        self._task = self._progress.add_task("download", total=None)
        return self

    def update(self, done: int, total: int | None) -> None:
        self._progress.update(self._task, completed=done, total=total)

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)
