"""The web layer: FastAPI app factory, routers, templates and static assets."""
