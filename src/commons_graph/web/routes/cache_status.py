"""/status/cache: the response cache's counters (hits, misses, 304s, bytes), for operators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from commons_graph.web.deps import response_cache_stats

router = APIRouter()


@router.get("/status/cache", include_in_schema=False)
def cache_status(request: Request) -> JSONResponse:
    """What the response cache did since the process started (no data of the graph)."""
    return JSONResponse(response_cache_stats(request), headers={"Cache-Control": "no-store"})
