"""Creating splitters — one at a time or as an all-or-nothing bulk import for a project.

A splitter is always created with its output ports 1..port_count (they are what gets tested), and
attaching splitters to a project makes its acceptance test required (seed 002: mandatory for new
communities with splitters). A bulk import validates every row against the request and the database
first and writes nothing unless all rows are valid; the errors name row and field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError
from sqlmodel import Session, col, select

from ponaccept.api.errors import FieldProblem, InvalidRequest, field_path
from ponaccept.api.schemas.resources import CSV_COLUMNS, SplitterCreate, SplitterImportItem
from ponaccept.db.models import Olt, PonPort, Project, Splitter, SplitterPort

MAX_IMPORT_ROWS = 5000
_INT_COLUMNS = frozenset(
    {"ratio", "stage", "pon_port_id", "frame", "slot", "port", "connectors", "splices", "port_count"}
)
_INT_CELL = re.compile(r"^-?[0-9]{1,9}$")


def create_ports(session: Session, splitter: Splitter) -> list[SplitterPort]:
    assert splitter.id is not None
    ports = [SplitterPort(splitter_id=splitter.id, number=n) for n in range(1, splitter.port_count + 1)]
    session.add_all(ports)
    return ports


def mark_test_required(session: Session, project_id: int | None) -> None:
    """A project that has splitters must be tested before acceptance."""
    if project_id is None:
        return
    project = session.get(Project, project_id)
    if project is not None and not project.test_required:
        project.test_required = True
        session.add(project)


def _name_exists(session: Session, pon_port_id: int, name: str) -> bool:
    statement = select(Splitter.id).where(
        col(Splitter.pon_port_id) == pon_port_id, col(Splitter.name) == name
    )
    return session.exec(statement).first() is not None


def create_splitter(session: Session, body: SplitterCreate) -> Splitter:
    """Validate references and stage, insert the splitter and its ports (flushed, not committed)."""
    problems: list[FieldProblem] = []
    parent = None
    pon_port_id = body.pon_port_id
    stage = body.stage
    if body.parent_splitter_id is not None:
        parent = session.get(Splitter, body.parent_splitter_id)
        if parent is None:
            problems.append(FieldProblem(field="body.parent_splitter_id", message="unknown splitter"))
        else:
            if pon_port_id is not None and pon_port_id != parent.pon_port_id:
                problems.append(
                    FieldProblem(
                        field="body.pon_port_id", message="differs from the parent splitter's PON port"
                    )
                )
            pon_port_id = parent.pon_port_id
            if "stage" not in body.model_fields_set:
                stage = parent.stage + 1
            elif stage != parent.stage + 1:
                problems.append(
                    FieldProblem(field="body.stage", message=f"must be {parent.stage + 1} (parent stage + 1)")
                )
    elif stage != 1:
        problems.append(
            FieldProblem(field="body.parent_splitter_id", message=f"stage {stage} needs a parent")
        )
    if pon_port_id is None:
        problems.append(
            FieldProblem(field="body.pon_port_id", message="give pon_port_id or parent_splitter_id")
        )
    elif session.get(PonPort, pon_port_id) is None:
        problems.append(FieldProblem(field="body.pon_port_id", message="unknown PON port"))
    elif _name_exists(session, pon_port_id, body.name):
        problems.append(
            FieldProblem(field="body.name", message="a splitter of this name exists on the PON port")
        )
    if body.project_id is not None and session.get(Project, body.project_id) is None:
        problems.append(FieldProblem(field="body.project_id", message="unknown project"))
    if problems:
        raise InvalidRequest(f"the splitter cannot be created: {len(problems)} problem(s)", errors=problems)
    assert pon_port_id is not None
    values = body.model_dump(exclude={"pon_port_id", "stage", "port_count"})
    splitter = Splitter(
        **values, pon_port_id=pon_port_id, stage=stage, port_count=body.port_count or body.ratio
    )
    session.add(splitter)
    session.flush()
    create_ports(session, splitter)
    mark_test_required(session, body.project_id)
    session.flush()
    return splitter


# --- Bulk import ---------------------------------------------------------------------------------


@dataclass
class _Row:
    index: int
    item: SplitterImportItem
    pon_port_id: int | None = None
    stage: int | None = None


class _Planner:
    def __init__(self, session: Session, rows: list[_Row], locate: Callable[[int], str]) -> None:
        self.session = session
        self.rows = rows
        self.locate = locate
        self.problems: list[FieldProblem] = []
        self._pon_by_position: dict[tuple[str, int, int, int], int | None] = {}
        self._by_name: dict[tuple[int, str], _Row] = {}

    def fail(self, row: _Row, field: str, message: str) -> None:
        self.problems.append(FieldProblem(field=f"{self.locate(row.index)}.{field}", message=message))

    def resolve_pon_ports(self) -> None:
        for row in self.rows:
            item = row.item
            if item.pon_port_id is not None:
                if self.session.get(PonPort, item.pon_port_id) is None:
                    self.fail(row, "pon_port_id", "unknown PON port")
                else:
                    row.pon_port_id = item.pon_port_id
                continue
            assert item.olt is not None and item.slot is not None and item.port is not None
            position = (item.olt, item.frame or 0, item.slot, item.port)
            if position not in self._pon_by_position:
                statement = (
                    select(PonPort.id)
                    .join(Olt, col(Olt.id) == col(PonPort.olt_id))
                    .where(
                        col(Olt.name) == position[0],
                        col(PonPort.frame) == position[1],
                        col(PonPort.slot) == position[2],
                        col(PonPort.port) == position[3],
                    )
                )
                self._pon_by_position[position] = self.session.exec(statement).first()
            pon_port_id = self._pon_by_position[position]
            if pon_port_id is None:
                self.fail(
                    row, "port", f"OLT {item.olt!r} has no PON port {position[1]}/{item.slot}/{item.port}"
                )
            row.pon_port_id = pon_port_id

    def check_names(self) -> None:
        for row in self.rows:
            if row.pon_port_id is None:
                continue
            key = (row.pon_port_id, row.item.name)
            if key in self._by_name:
                other = self._by_name[key]
                self.fail(row, "name", f"duplicate of {self.locate(other.index)} on the same PON port")
                continue
            self._by_name[key] = row
            if _name_exists(self.session, row.pon_port_id, row.item.name):
                self.fail(row, "name", "a splitter of this name already exists on the PON port")

    def resolve_stages(self) -> None:
        for row in self.rows:
            if row.pon_port_id is not None:
                self._stage(row, set())

    def _stage(self, row: _Row, visiting: set[int]) -> int | None:
        if row.stage is not None:
            return row.stage
        item = row.item
        if item.parent is None:
            if item.stage != 1:
                self.fail(row, "parent", f"stage {item.stage} needs a parent")
                return None
            row.stage = 1
            return 1
        if row.index in visiting:
            self.fail(row, "parent", "parent chain forms a cycle")
            return None
        assert row.pon_port_id is not None
        parent_stage: int | None
        parent_row = self._by_name.get((row.pon_port_id, item.parent))
        if parent_row is not None:
            parent_stage = self._stage(parent_row, visiting | {row.index})
        else:
            parent = self.session.exec(
                select(Splitter).where(
                    col(Splitter.pon_port_id) == row.pon_port_id, col(Splitter.name) == item.parent
                )
            ).first()
            if parent is None:
                self.fail(
                    row, "parent", f"no splitter {item.parent!r} on this PON port (in the import or stored)"
                )
                return None
            parent_stage = parent.stage
        if parent_stage is None:
            return None
        if "stage" in item.model_fields_set and item.stage != parent_stage + 1:
            self.fail(row, "stage", f"must be {parent_stage + 1} (parent stage + 1)")
            return None
        row.stage = parent_stage + 1
        return row.stage


def import_splitters(
    session: Session, project: Project, items: list[SplitterImportItem], locate: Callable[[int], str]
) -> list[Splitter]:
    """Validate all ``items`` then insert them with their ports (flushed, not committed).

    Raises :class:`InvalidRequest` listing every problem; nothing is added to the session then.
    """
    rows = [_Row(index=i, item=item) for i, item in enumerate(items)]
    planner = _Planner(session, rows, locate)
    planner.resolve_pon_ports()
    planner.check_names()
    planner.resolve_stages()
    if planner.problems:
        raise InvalidRequest(
            f"import refused, nothing was created: {len(planner.problems)} problem(s)",
            errors=planner.problems,
        )
    created: dict[tuple[int, str], Splitter] = {}
    for row in sorted(rows, key=lambda r: r.stage or 0):
        item = row.item
        assert row.pon_port_id is not None and row.stage is not None
        parent_id = None
        if item.parent is not None:
            parent = (
                created.get((row.pon_port_id, item.parent))
                or session.exec(
                    select(Splitter).where(
                        col(Splitter.pon_port_id) == row.pon_port_id, col(Splitter.name) == item.parent
                    )
                ).first()
            )
            assert parent is not None, "resolved by the planner"
            parent_id = parent.id
        splitter = Splitter(
            name=item.name,
            ratio=item.ratio,
            stage=row.stage,
            parent_splitter_id=parent_id,
            pon_port_id=row.pon_port_id,
            fibre_length_km=item.fibre_length_km,
            connectors=item.connectors,
            splices=item.splices,
            port_count=item.port_count or item.ratio,
            project_id=project.id,
            address=item.address,
            community=item.community,
        )
        session.add(splitter)
        session.flush()
        create_ports(session, splitter)
        created[(row.pon_port_id, item.name)] = splitter
    mark_test_required(session, project.id)
    session.flush()
    return [created[(r.pon_port_id, r.item.name)] for r in rows if r.pon_port_id is not None]


def csv_line(index: int) -> str:
    """Field prefix of data row ``index`` (0-based): the physical line, the header being line 1."""
    return f"csv.line[{index + 2}]"


def parse_csv(data: bytes) -> list[SplitterImportItem]:
    """Rows of a CSV import as validated items; every invalid cell of every row is reported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidRequest(
            "the CSV must be UTF-8", errors=[("csv", f"not UTF-8 at byte {exc.start}")]
        ) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if not header or unknown or "name" not in header:
        message = f"unknown columns {unknown}" if unknown else "a header row with at least `name` is required"
        raise InvalidRequest(
            f"bad CSV header: {message}; allowed columns: {', '.join(CSV_COLUMNS)}",
            errors=[("csv.header", message)],
        )
    reader.fieldnames = header
    items: list[SplitterImportItem] = []
    problems: list[FieldProblem] = []
    for index, record in enumerate(reader):
        if index >= MAX_IMPORT_ROWS:
            raise InvalidRequest(
                f"at most {MAX_IMPORT_ROWS} rows per import", errors=[("csv", "too many rows")]
            )
        if None in record:
            problems.append(FieldProblem(field=csv_line(index), message="more cells than header columns"))
            continue
        cells: dict[str, object] = {
            k: v.strip() for k, v in record.items() if v is not None and v.strip() != ""
        }
        for column in _INT_COLUMNS & cells.keys():
            value = cells[column]
            if isinstance(value, str) and _INT_CELL.match(value):
                cells[column] = int(value)  # the ratio is a Literal of ints: pydantic will not coerce "8"
        try:
            items.append(SplitterImportItem.model_validate(cells))
        except ValidationError as exc:
            for error in exc.errors():
                suffix = field_path(list(error["loc"]))
                where = f"{csv_line(index)}.{suffix}" if suffix else csv_line(index)
                problems.append(FieldProblem(field=where, message=error["msg"]))
    if problems:
        raise InvalidRequest(
            f"import refused, nothing was created: {len(problems)} problem(s)", errors=problems
        )
    if not items:
        raise InvalidRequest("the CSV has no data rows", errors=[("csv", "empty")])
    return items
