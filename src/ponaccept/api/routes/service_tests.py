"""Service tests (业务测试) with photo evidence (multipart upload), and photo download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile, status
from fastapi.responses import FileResponse
from sqlmodel import col, select

from ponaccept.api.deps import CurrentKey, SessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, InvalidRequest, NotFoundError
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.routes.activations import workflow_of
from ponaccept.api.schemas.tests import PhotoRead, ServiceTestRead
from ponaccept.api.security import Role
from ponaccept.api.services.photos import StoredPhoto, photo_path, sniff, store_photo, validate_photo
from ponaccept.api.services.service_tests import record_service_test
from ponaccept.db.models import Activation, ServiceTest

router = APIRouter(tags=["service tests"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute)

MAX_PHOTOS = 10


def service_view(test: ServiceTest, prefix: str = "/api/v1") -> ServiceTestRead:
    assert test.id is not None
    return ServiceTestRead(
        id=test.id,
        activation_id=test.activation_id,
        created_at=test.created_at,
        account=test.account,
        result=test.result,
        down_mbps=test.down_mbps,
        up_mbps=test.up_mbps,
        verdict=test.verdict,
        photos=[PhotoRead(**p, url=f"{prefix}/photos/{p['sha256']}") for p in test.photos],
    )


@router.post(
    "/activations/{activation_id}/service-tests",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require(Role.ENGINEER)],
)
async def create_service_test(
    activation_id: int,
    request: Request,
    session: SessionDep,
    account: Annotated[str, Form(min_length=1, max_length=64, description="拨号账号 dial-up account")],
    dialup_ok: Annotated[bool, Form(description="PPPoE dial-up succeeded")],
    down_mbps: Annotated[float | None, Form(ge=0, le=100000)] = None,
    up_mbps: Annotated[float | None, Form(ge=0, le=100000)] = None,
    result: Annotated[str | None, Form(max_length=2000, description="测试结果")] = None,
    photos: Annotated[
        list[UploadFile] | None, File(description="JPEG/PNG photos of location and result")
    ] = None,
) -> ServiceTestRead:
    """Record a service test with photos (multipart/form-data). Photos must be JPEG or PNG (checked from
    the file's bytes) and within the size limit (413 otherwise); pass/fail against the minimum speeds."""
    activation = session.get(Activation, activation_id)
    if activation is None:
        raise NotFoundError("activation", activation_id)
    workflow = workflow_of(request)
    files = photos or []
    if len(files) > MAX_PHOTOS:
        raise InvalidRequest("too many photos", errors=[("body.photos", f"at most {MAX_PHOTOS} photos")])
    stored: list[StoredPhoto] = []
    for index, upload in enumerate(files):
        field = f"body.photos[{index}]"
        data = await upload.read(workflow.photo_max_bytes + 1)
        content_type = validate_photo(data, upload.filename or "", field, workflow.photo_max_bytes)
        stored.append(
            store_photo(request.app.state.settings.data_dir, data, upload.filename or "", content_type)
        )
    test = record_service_test(
        session,
        activation,
        workflow,
        account=account,
        dialup_ok=dialup_ok,
        result=result,
        down_mbps=down_mbps,
        up_mbps=up_mbps,
        photos=stored,
    )
    session.commit()
    return service_view(test)


@router.get("/activations/{activation_id}/service-tests")
def list_service_tests(activation_id: int, session: SessionDep, _caller: CurrentKey) -> list[ServiceTestRead]:
    rows = session.exec(
        select(ServiceTest).where(ServiceTest.activation_id == activation_id).order_by(col(ServiceTest.id))
    ).all()
    return [service_view(r) for r in rows]


@router.get(
    "/photos/{sha256}",
    response_class=FileResponse,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}},
)
def get_photo(sha256: str, request: Request, _caller: CurrentKey) -> FileResponse:
    """A stored photo, with its content type (decided from its bytes)."""
    path = photo_path(request.app.state.settings.data_dir, sha256)
    if not path.is_file():
        raise NotFoundError("photo", sha256)
    with path.open("rb") as handle:
        content_type = sniff(handle.read(16)) or "application/octet-stream"
    return FileResponse(path, media_type=content_type)
