"""The ``[web]`` section, the refusal to listen beyond loopback without a token, and the
request checks (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from controller.service.config import ConfigError, parse_config
from controller.web.config import TOKEN_ENV, WebConfig, is_loopback, refusal, split_listen
from controller.web.security import (
    check_json_body,
    check_origin,
    check_token,
    host_allowed,
    host_name,
)
from firmware.schema import as_data, parse

TOKEN = "0123456789abcdef-token"


@pytest.mark.parametrize(
    ("listen", "parts"),
    [("127.0.0.1:8080", ("127.0.0.1", 8080)), ("[::1]:80", ("::1", 80)),
     ("0.0.0.0:0", ("0.0.0.0", 0)), ("mat.local:8080", ("mat.local", 8080))],
)  # fmt: skip
def test_listen_is_host_and_port(listen: str, parts: tuple[str, int]) -> None:
    assert split_listen(listen) == parts


@pytest.mark.parametrize("listen", ["8080", "host:", ":8080", "host:99999", "host:http"])
def test_a_bad_listen_is_one_config_line(listen: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"web": {"listen": listen}})
    assert len(caught.value.problems) == 1 and caught.value.problems[0].startswith("web.listen")


def test_the_page_is_off_unless_asked_for_and_loopback_by_default() -> None:
    assert parse_config({}).web is None
    web = parse_config({"web": {}}).web
    assert web is not None and is_loopback(web.host)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("mat.local", False)],
)  # fmt: skip
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_beyond_loopback_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    wide = WebConfig(listen="0.0.0.0:8080")
    line = refusal(wide, wide.resolved_token())
    assert line is not None and "needs a token" in line and "\n" not in line
    assert refusal(WebConfig(), None) is None
    assert refusal(wide, TOKEN) is None
    short = refusal(wide, "short")
    assert short is not None and "shorter than" in short and "short" not in short.split()[-1]


def test_the_token_comes_from_the_config_a_file_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "from-the-environment")
    assert WebConfig().resolved_token() == "from-the-environment"
    secret = tmp_path / "token"
    secret.write_text(TOKEN + "\nignored\n")
    assert WebConfig(token_file=secret).resolved_token() == TOKEN
    inline = parse(WebConfig, {"token": TOKEN})
    assert inline.resolved_token() == TOKEN
    assert TOKEN not in repr(inline) and TOKEN not in str(as_data(inline))


def test_host_names() -> None:
    assert host_name("[::1]:8080") == "::1" and host_name("Mat.Local:80") == "mat.local"
    assert host_name("10.0.0.5") == "10.0.0.5"
    names = WebConfig(allowed_hosts=("acumat.example",)).host_names()
    assert host_allowed("127.0.0.1:8080", names) and host_allowed("[::1]:1", names)
    assert host_allowed("localhost:8080", names) and host_allowed("ACUMAT.example", names)
    assert not host_allowed("evil.example:8080", names) and not host_allowed(None, names)


def test_origin_token_and_body_checks() -> None:
    names = frozenset({"localhost"})
    own = {"host": "localhost:8080", "origin": "http://localhost:8080"}
    assert check_origin(own, names) is None
    assert check_origin({"host": "localhost:8080"}, names) is None  # curl, scripts
    assert check_origin({**own, "origin": "null"}, names) is not None
    assert check_origin({**own, "origin": "http://localhost:8081"}, names) is not None
    assert check_token(None, None) is None
    assert check_token(f"Bearer {TOKEN}", TOKEN) is None
    for bad in (None, "", TOKEN, f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "):
        refused = check_token(bad, TOKEN)
        assert refused is not None and refused.status == 401 and TOKEN not in refused.reason
    assert check_json_body("application/json; charset=utf-8") is None
    assert check_json_body("text/plain") is not None and check_json_body(None) is not None
