"""The web layer: create_app (the composition root), services, request deps, routers, pages."""
