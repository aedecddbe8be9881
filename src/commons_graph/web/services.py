"""What the routes share for the life of the app, typed: one `Services`, built by `create_app`.

`create_app` opens the accounts (the session cookie is signed with their secret) and, when the
app starts, the store; `open_services` then makes everything else the routes call. Routes reach
it through `web/deps.py`, never through `app.state` themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anyio import CapacityLimiter
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from commons_graph.config import Settings
from commons_graph.contributions.service import ContributionService
from commons_graph.errors import ErrorDetail
from commons_graph.members.accounts import Accounts
from commons_graph.members.ratelimit import RateLimits, Rule, parse_rule
from commons_graph.members.sessions import Sessions
from commons_graph.rdf.namespaces import BASE
from commons_graph.relations.keeper import RelationKeeper, keep_relations
from commons_graph.search.service import Search, open_search
from commons_graph.sparql.executor import QueryExecutor
from commons_graph.sparql.graphs import GraphCatalogue
from commons_graph.sparql.limits import ClientLimiter, fair_limit
from commons_graph.sparql.update import UpdateRunner
from commons_graph.store.base import Store
from commons_graph.store.derived import StoreDerived
from commons_graph.store.statistics import Statistics, statistics
from commons_graph.views.warming import IndexWarmer

if TYPE_CHECKING:
    from commons_graph.web.map_warming import MapWarmer

RATE_SETTINGS = (
    "signin_rate_per_address",
    "signin_rate_per_account",
    "write_rate_per_member",
    "write_rate_per_address",
)
# Password hashes computed at once (scrypt, ~50 ms and 16 MB each): enough for real sign-ins,
# few enough to leave the cores and the thread pool to everything else.
PASSWORD_CHECKS_AT_ONCE = 2
# The links every page's navigation adds to the site's own: (message key, path).
NAV: tuple[tuple[str, str], ...] = (
    ("ui.contribute", "/contribute"),
    ("ui.my_account", "/members/me"),
    ("codesocial.nav", "/codesocial"),
)

ErrorPage = Callable[[Request, int, list[ErrorDetail], dict[str, str] | None], HTMLResponse]


@dataclass
class Services:
    """The core objects the routes call, made when the app starts."""

    settings: Settings
    store: Store
    accounts: Accounts
    sessions: Sessions
    templates: Jinja2Templates
    render_error: ErrorPage
    nav: tuple[tuple[str, str], ...]
    rate_limits: RateLimits
    rate_rules: Mapping[str, Rule]
    contributions: ContributionService
    graphs: GraphCatalogue
    executor: QueryExecutor
    query_limiter: ClientLimiter
    update_runner: UpdateRunner
    void_statistics: StoreDerived[Statistics]
    index_warmer: IndexWarmer
    # Writes take turns anyway (the contribution service's lock): a bound of their own keeps
    # the ones waiting out of the thread pool that serves pages.
    write_threads: CapacityLimiter
    password_checks: CapacityLimiter
    # The full-text index, kept in step with the store's writes (search/).
    search: Search
    # Derives the relations between organisations again after writes (None: read-only store).
    relations: RelationKeeper | None = None
    # Writes the map's answers ahead of its visitors (web/map_warming.py).
    map_warmer: MapWarmer | None = None

    def close(self) -> None:
        """Stop the background work (index warming, query workers) and close the store."""
        if self.map_warmer is not None:
            self.map_warmer.stop()
        self.index_warmer.stop()
        self.search.close()
        if self.relations is not None:
            self.relations.stop()
        self.executor.close()
        self.store.close()


def rate_rules(settings: Settings) -> dict[str, Rule]:
    """The rate limits the settings name, checked once (a bad value stops the app's creation)."""
    return {
        name: Rule(name, parse_rule(f"COMMONS_GRAPH_{name.upper()}", getattr(settings, name)))
        for name in RATE_SETTINGS
    }


def open_services(
    settings: Settings,
    store: Store,
    accounts: Accounts,
    templates: Jinja2Templates,
    render_error: ErrorPage,
    rules: Mapping[str, Rule],
) -> Services:
    """Everything the routes call, around an open store; run in the app's event loop (the
    thread limiters belong to it)."""
    # Imported here: the worker pool's module is not needed until an app starts.
    from commons_graph.sparql.factory import make_executor

    # Imported here: it reads the GeoJSON answers' module, which needs this one.
    from commons_graph.web.map_warming import MapWarmer

    executor = make_executor(settings, store)
    return Services(
        settings=settings,
        store=store,
        accounts=accounts,
        sessions=Sessions(accounts.db, settings.session_max_age),
        templates=templates,
        render_error=render_error,
        nav=NAV,
        rate_limits=RateLimits(),
        rate_rules=rules,
        contributions=ContributionService(store, accounts),
        graphs=GraphCatalogue(store),
        executor=executor,
        query_limiter=ClientLimiter(fair_limit(settings.max_concurrent_queries, executor.capacity)),
        update_runner=UpdateRunner(store, BASE, settings.update_timeout),
        void_statistics=StoreDerived(store, statistics),
        index_warmer=IndexWarmer(store),
        write_threads=CapacityLimiter(settings.write_threads),
        password_checks=CapacityLimiter(PASSWORD_CHECKS_AT_ONCE),
        search=open_search(settings, store),
        relations=_relations(settings, store),
        map_warmer=MapWarmer(store),
    )


def _relations(settings: Settings, store: Store) -> RelationKeeper | None:
    """The keeper of derived relations, which first checks them all in its thread (a store
    written while no server ran, by another version or by hand, is brought in step without
    delaying the start: seconds on large stores)."""
    if settings.is_remote and not settings.store_update:
        return None  # served as it is
    keeper = keep_relations(store, settings, background=True)
    keeper.check()
    return keeper


def get_services(request: Request) -> Services:
    """The app's services (made when it started)."""
    services: Services = request.app.state.services
    return services
