"""Shared pieces of the engineer commands: inventory loading, output, exit codes, progress."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn

import typer
from nornir.core import Nornir
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ponaccept.config import get_settings
from ponaccept.netops.credentials import CredentialsError, load_credentials
from ponaccept.netops.inventory import InventoryError, load_nornir

out = Console()
err = Console(stderr=True)


class ExitCode(IntEnum):
    """Exit codes shared by every engineer command (documented in docs/cli.md)."""

    OK = 0
    FAILED = 1  # nothing succeeded, or the command could not start
    USAGE = 2  # bad arguments (typer's own code for usage errors)
    PARTIAL = 3  # some OLTs/ports succeeded, some failed


def fail(message: str, code: ExitCode = ExitCode.FAILED) -> NoReturn:
    """One readable line on stderr and a non-zero exit."""
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(int(code))


def exit_for(successes: int, failures: int) -> ExitCode:
    if failures == 0:
        return ExitCode.OK
    return ExitCode.PARTIAL if successes else ExitCode.FAILED


InventoryOption = typer.Option(
    Path("inventories/lab"), "--inventory", "-i", help="Nornir inventory directory."
)
OltOption = typer.Option([], "--olt", help="Only these OLTs (repeatable).")
GroupOption = typer.Option([], "--group", help="Only OLTs in these inventory groups (repeatable).")
JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables.")
DryRunOption = typer.Option(False, "--dry-run", help="Show the plan; send nothing to any device.")


def nornir_for(inventory: Path, olts: list[str], groups: list[str]) -> Nornir:
    try:
        return load_nornir(inventory, load_credentials(get_settings().secrets_file), olts=olts, groups=groups)
    except (InventoryError, CredentialsError) as exc:
        fail(str(exc), ExitCode.USAGE)


def to_jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(asdict(value))
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    out.print_json(json.dumps(to_jsonable(value), ensure_ascii=False, default=str))


@contextmanager
def olt_progress(total: int, label: str, enabled: bool) -> Iterator[Callable[[str, bool], None]]:
    """A rich progress bar advanced once per OLT; silent with --json or a single OLT."""
    if not enabled or total <= 1:
        yield lambda _olt, _ok: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task_id = progress.add_task(label, total=total)

        def advance(olt: str, ok: bool) -> None:
            progress.update(task_id, advance=1, description=f"{label} ({olt} {'ok' if ok else 'FAILED'})")

        yield advance
