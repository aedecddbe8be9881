"""Links of facet values: each adds or removes one value, keeping the other filters."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request

from commons_graph.web.templating import current_path


def toggled_url(request: Request, name: str, value: str) -> str:
    """The current page's URL with `value` of facet `name` added, or removed if present; back
    to the first page (of a list or of a search)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "offset")]
    if (name, value) in items:
        items.remove((name, value))
    else:
        items.append((name, value))
    encoded = urlencode(items)
    return current_path(request) + ("?" + encoded if encoded else "")


_KEPT = frozenset({"lang", "per_page", "q"})


def cleared_url(request: Request, keep: frozenset[str] = _KEPT) -> str:
    """The current page's URL without any filter (keeping `keep`)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k in keep]
    encoded = urlencode(items)
    return current_path(request) + ("?" + encoded if encoded else "")
