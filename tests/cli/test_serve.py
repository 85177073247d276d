"""`wirewatch serve`: the options it refuses, with a message and no traceback."""

from __future__ import annotations

import socket

from tests.conftest import Invoke


def test_a_port_out_of_range_is_refused(cli: Invoke) -> None:
    result = cli("serve", "--port", "70000")
    assert result.exit_code == 2
    assert "--port 70000" in result.stderr and "Traceback" not in result.stderr


def test_a_busy_port_is_named(cli: Invoke) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_an_unknown_host_is_named(cli: Invoke) -> None:
    result = cli("serve", "--host", "no-such-host.invalid")
    assert result.exit_code == 2
    assert "--host 'no-such-host.invalid'" in result.stderr


def test_a_bad_base_url_is_refused(cli: Invoke, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WIREWATCH_BASE_URL", "javascript:alert(1)")
    result = cli("serve")
    assert result.exit_code == 2
    assert "WIREWATCH_BASE_URL" in result.stderr
