"""Rate limits: settings that do not parse are refused at start; counts per rule and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from commons_graph.cli import main
from commons_graph.errors import BadInputError
from commons_graph.members.ratelimit import RateLimits, Rule, parse_rule


def test_limits_parse_and_count_per_key() -> None:
    rule = Rule("test", parse_rule("COMMONS_GRAPH_X", "2/minute;3/hour"))
    limits = RateLimits()
    assert [limits.hit(rule, "a") for _ in range(2)] == [None, None]
    wait = limits.hit(rule, "a")
    assert wait is not None and 1 <= wait <= 60
    assert limits.hit(rule, "b") is None  # another member or address counts apart
    assert parse_rule("COMMONS_GRAPH_X", " ") == ()  # empty: no limit


def test_a_limit_that_does_not_parse_is_named_in_one_line() -> None:
    with pytest.raises(BadInputError, match="COMMONS_GRAPH_X.*10/minute"):
        parse_rule("COMMONS_GRAPH_X", "ten a minute")


def test_serve_refuses_a_bad_limit_before_listening(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["--store", f"{tmp_path}/store", "init"]).exit_code == 0
    result = CliRunner().invoke(
        main,
        ["--store", f"{tmp_path}/store", "serve", "--port", "1"],
        env={"COMMONS_GRAPH_WRITE_RATE_PER_MEMBER": "lots"},
    )
    assert result.exit_code == 2
    assert "COMMONS_GRAPH_WRITE_RATE_PER_MEMBER" in result.output
