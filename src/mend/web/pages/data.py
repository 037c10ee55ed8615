"""Your data: download everything as JSON, and import an export back."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from mend.errors import ImportFailed, MendError
from mend.services import exchange
from mend.web.pages.common import form, mend, redirect, render

router = APIRouter()


def _page(request: Request, *, error: str = "", status_code: int = 200) -> HTMLResponse:
    params = request.query_params
    imported = params.get("imported")
    return render(
        request,
        "data.html",
        status_code=status_code,
        page="data",
        error=error,
        imported=int(imported) if imported and imported.isdigit() else None,
        imported_repairs=params.get("repairs", ""),
    )


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request) -> Response:
    return _page(request)


@router.get("/data/export.json")
def export_json(request: Request) -> Response:
    app = mend(request)
    now = app.now()
    body = json.dumps(exchange.export_all(app.uow(write=False), now=now), ensure_ascii=False)
    name = f"mend-export-{now.astimezone(app.tz):%Y-%m-%d}.json"
    return Response(
        body.encode("utf-8"),
        media_type="application/json",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


@router.post("/data/import")
async def import_json(request: Request) -> Response:
    """Import an uploaded export: all of it in one transaction, or nothing."""
    upload = (await request.form()).get("file")
    await form(request)  # the CSRF check (the parsed form is cached)
    app = mend(request)
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ImportFailed("Choose the .json file Mend exported first.", field="file")
        raw = await upload.read()
        if not raw.strip():
            raise ImportFailed(
                f"The file {upload.filename} is empty; choose the .json file Mend exported.",
                field="file",
            )
        summary = await run_in_threadpool(exchange.import_file, app.uow(), raw)
    except MendError as exc:
        return _page(request, error=exc.message, status_code=exc.http_status)
    repairs = summary.counts.get("repairs", 0)
    return redirect(f"/data?imported={summary.total}&repairs={repairs}")
