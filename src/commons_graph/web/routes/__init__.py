"""The routers of the web service, one module per part of the site (never importing another)."""
