"""The one settings object: environment `COMMONS_GRAPH_*`, overridden by CLI flags."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from commons_graph.defaults import DEFAULT_STORE as DEFAULT_STORE  # re-exported
from commons_graph.geo.tiles import OSM_ATTRIBUTION, OSM_COPYRIGHT, OSM_TILES, check_template
from commons_graph.rdf.namespaces import BASE

# The base IRI is not a setting: every IRI the project mints (and the shipped data, the ontology,
# published #CodeSocial versions and their content hashes) starts with rdf.namespaces.BASE.
_REMOVED_BASE_IRI = "COMMONS_GRAPH_BASE_IRI"


class Settings(BaseSettings):
    """Every setting of the service; each field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="COMMONS_GRAPH_", extra="ignore")

    store: str = Field(
        DEFAULT_STORE,
        description=(
            "Where the data lives: a filesystem path selects the embedded on-disk store; "
            "an http(s) URL is the query endpoint of a SPARQL 1.1 server."
        ),
    )
    store_update: str | None = Field(
        None, description="SPARQL 1.1 Update endpoint of the remote server (remote store only)."
    )
    store_gsp: str | None = Field(
        None,
        description="SPARQL 1.1 Graph Store Protocol endpoint of the remote server (optional).",
    )
    store_user: str | None = Field(
        None, description="User name for HTTP authentication to the remote server."
    )
    store_password: str | None = Field(
        None, description="Password for HTTP authentication to the remote server."
    )
    store_timeout: float = Field(
        60.0, description="Seconds to wait for the remote server on internal requests."
    )
    host: str = Field("127.0.0.1", description="Interface the web service listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port the web service listens on.")
    query_timeout: float = Field(
        30.0, description="Seconds after which a public SPARQL query is stopped (503)."
    )
    max_result_rows: int = Field(
        10_000, description="Most rows (or triples) a public SPARQL query returns."
    )
    max_concurrent_queries: int = Field(
        4, description="Most SPARQL queries one client may run at once (then 429)."
    )
    query_workers: int = Field(
        2, description="Worker processes that evaluate public SPARQL queries (embedded store)."
    )
    max_query_bytes: int = Field(
        100_000, description="Largest SPARQL query text accepted, in bytes (then 413)."
    )
    max_contribution_bytes: int = Field(
        1_000_000, description="Largest contribution body accepted, in bytes (then 413)."
    )
    cors_origins: str = Field(
        "*",
        description=(
            "Web origins whose scripts may read the service's answers (CORS): * for any, a "
            "comma-separated list, or empty for none. Reads only: no credentials are shared."
        ),
    )
    default_language: str = Field(
        "en", description="Language of pages and messages when the client states none (en or fr)."
    )
    secret_key: str | None = Field(
        None,
        description=(
            "Secret that signs session cookies and CSRF tokens; generated and kept in the "
            "store's folder when unset."
        ),
    )

    accounts: str | None = Field(
        None,
        description=(
            "SQLite file holding member accounts, sessions, claims and contribution history of "
            "the store (never in the RDF store); default: NAME.accounts.sqlite beside the "
            "embedded store's folder NAME, or .commons-graph/accounts/<query URL>.sqlite for a "
            "remote store."
        ),
    )
    session_cookie_secure: bool = Field(
        False,
        description=(
            "Send the session cookie only over https (its Secure flag): set it to true whenever "
            "the service is reached over https, as behind a TLS proxy."
        ),
    )
    session_max_age: int = Field(
        1_209_600,
        description="Seconds a sign-in lasts, on the server and in the cookie (14 days).",
    )
    signin_rate_per_address: str = Field(
        "30/minute;300/hour",
        description="Sign-in attempts one client address may make (then 429 with Retry-After).",
    )
    signin_rate_per_account: str = Field(
        "10/minute;100/day",
        description="Password sign-in attempts for one e-mail address, whoever makes them.",
    )
    write_rate_per_member: str = Field(
        "120/minute;3000/hour",
        description="Writes (contributions, replacements, withdrawals, reverts) per member.",
    )
    write_rate_per_address: str = Field(
        "240/minute;6000/hour",
        description="Writes, and attempts to write, per client address.",
    )
    trusted_proxies: str = Field(
        "",
        description=(
            "Comma-separated addresses or networks of the reverse proxies in front of the "
            "service: only from these is X-Forwarded-For believed for the client's address. "
            "Empty: the client is the socket's peer."
        ),
    )

    public_url: str | None = Field(
        None,
        description=(
            "The service's public address (e.g. https://commons.example.org/), used in the "
            "absolute URLs it writes: VoID, the SPARQL service description, the query editor. "
            "Default: the address the server's socket answers on; never the request's Host."
        ),
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
    )
    update_timeout: float = Field(
        60.0,
        description=(
            "Seconds an admin's SPARQL Update may take to evaluate, in its sandboxed process, "
            "before it is stopped (503) and nothing is written."
        ),
    )

    # Bounds on the work one request may cause (docs/security.md).
    max_contribution_statements: int = Field(
        10_000, description="Most statements one contribution may hold (then 413)."
    )
    max_contribution_blank_nodes: int = Field(
        1_000, description="Most blank nodes one contribution may hold (then 422)."
    )
    max_contribution_depth: int = Field(
        32,
        description=(
            "Deepest nesting of brackets in a contribution: Turtle [ ] and ( ), JSON arrays "
            "and objects (then 422)."
        ),
    )
    header_timeout: float = Field(
        10.0,
        description=(
            "Seconds a client has to send a request's line and headers, from the connection "
            "or the first byte of a request on a kept-alive one; then 408 and the connection "
            "is closed."
        ),
    )
    body_timeout: float = Field(
        30.0,
        description=(
            "Seconds a client has to send a request's whole body once its headers are in; "
            "then the connection is closed."
        ),
    )
    write_threads: int = Field(
        4,
        description=(
            "Threads that parse, check, hash and commit contributions: a pool of their own, so "
            "writes never take the threads pages are answered from."
        ),
    )
    max_connections: int = Field(
        1_000,
        description=(
            "Most connections open at once; past it a new connection takes the place of the "
            "one that has been waiting longest for its headers, or is closed at once."
        ),
    )
    network_max_nodes: int = Field(
        500,
        ge=10,
        le=5_000,
        description=(
            "Most resources a network view or its data (/network/data) shows; past it the "
            "answer says it was truncated."
        ),
    )
    network_paths_seconds: float = Field(
        2.0,
        gt=0,
        le=30,
        description="Seconds /paths spends looking for alternative chains of links.",
    )

    # The map (docs/web.md "Map"): the browser fetches the tiles, never the server.
    map_tiles: str = Field(
        OSM_TILES,
        description=(
            "URL template of the map tiles ({z}/{x}/{y}; {s} for subdomains), fetched by "
            "visitors' browsers; the CSP allows images from its host only. Empty: no tiles."
        ),
    )
    map_attribution: str = Field(
        OSM_ATTRIBUTION, description="Text crediting the map tiles, shown on every map."
    )
    map_attribution_url: str = Field(
        OSM_COPYRIGHT,
        description="Where the tiles' attribution links to (their licence); empty for no link.",
        pattern=r"^(https?://\S+)?$",
    )

    @field_validator("map_tiles")
    @classmethod
    def _check_map_tiles(cls, value: str) -> str:
        """Refuse a tile template the map could not use or the CSP could not name."""
        return check_template(value.strip())

    search_index: str | None = Field(
        None,
        description=(
            "SQLite file holding the full-text search index of the store (rebuilt from the "
            "store at will: `commons-graph search rebuild`); default: NAME.search.sqlite "
            "beside the embedded store's folder NAME, or .commons-graph/search/<query "
            "URL>.sqlite for a remote store."
        ),
    )

    search_check_seconds: float = Field(
        300.0,
        description=(
            "For a remote store, seconds between two checks of its fingerprint (quad count and "
            "named graphs): a change no write of the service explains means another client "
            "wrote to the server directly, and the search index is rebuilt. 0 turns it off."
        ),
    )

    related_per_organisation: int = Field(
        5,
        ge=0,
        le=100,
        description=(
            "Most derived relations ('related') kept per organisation, best first; 0 derives "
            "none (docs/model.md, 'Mappings and derived relations')."
        ),
    )

    cache_bytes: int = Field(
        256 * 1024 * 1024,
        ge=0,
        description=(
            "Bytes of answers kept for reuse until the data changes (least recently used "
            "dropped first); 0 turns the response cache off."
        ),
    )
    cache_max_entry_bytes: int = Field(
        8 * 1024 * 1024,
        ge=0,
        description="Largest answer the response cache keeps; a larger one is sent, not kept.",
    )
    cache_ttl: float = Field(
        0.0,
        ge=0,
        description=(
            "With a remote store others may write to, seconds an answer is reused at most; "
            "0 (the default) turns the response cache off for such a store."
        ),
    )
    relations_quiet_seconds: float = Field(
        1.0,
        ge=0,
        le=600,
        description=(
            "At most this many seconds without a fact-changing write before the service "
            "derives the relations again (a burst of writes is taken together, and no "
            "derivation competes with it): four times the last derivation's duration when "
            "that is less, at least 0.05 s; at most 60 s after the first write of a burst."
        ),
    )

    allocator: Literal["auto", "system"] = Field(
        "auto",
        description=(
            "auto: `serve` runs itself and its query workers with jemalloc when it is "
            "installed (less CPU per heavy query); system: the C library's allocator."
        ),
    )

    @property
    def is_remote(self) -> bool:
        """Whether the store is a SPARQL server over HTTP rather than a local folder."""
        return self.store.startswith(("http://", "https://"))

    @property
    def store_path(self) -> Path:
        """The embedded store's folder."""
        return Path(self.store).expanduser()

    @model_validator(mode="after")
    def _refuse_a_base_iri(self) -> Settings:
        """Refuse COMMONS_GRAPH_BASE_IRI set to another base than the fixed one: it was a
        setting once, and ignoring it silently would serve IRIs the deployer did not expect."""
        given = os.environ.get(_REMOVED_BASE_IRI)
        if given is not None and given != BASE:
            raise ValueError(
                f"{_REMOVED_BASE_IRI} is no longer a setting: every minted IRI starts with "
                f"{BASE} (see docs/configuration.md); unset it"
            )
        return self
