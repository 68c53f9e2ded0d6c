"""Who may ask the web API what (pure: headers in, a refusal or None out).

* **Host** must name this mat: an IP address, ``localhost``, the machine's own name (and its
  ``.local``), or a name listed in ``[web] allowed_hosts``. A page on another site whose name
  was made to resolve to the mat (DNS rebinding) sends its own name, and is refused.
* **Origin**, when a browser sends one, must be the page's own (``http://`` + Host); a
  ``Sec-Fetch-Site: cross-site`` is refused too. So another site's page can neither read the
  API nor send it commands, even on loopback without a token.
* **The token**, when one is set, comes as ``Authorization: Bearer <token>`` on every
  ``/api/`` request (the page itself and its assets hold no secret and need none). Compared
  in constant time.
* **Bodies** are JSON only (``Content-Type: application/json``): an HTML form cannot send one
  across sites without a preflight this server never grants.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    reason: str


def host_name(host_header: str) -> str:
    """The name in a Host header: ``[::1]:8080`` → ``::1``, ``mat.local:80`` → ``mat.local``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host_header: str | None, names: Collection[str]) -> bool:
    if not host_header:
        return False
    name = host_name(host_header)
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return name in names


def check_origin(headers: dict[str, str], names: Collection[str]) -> Refusal | None:
    host = headers.get("host")
    if not host_allowed(host, names):
        return Refusal(403, "this mat does not answer to that host name")
    origin = headers.get("origin")
    if origin is not None and origin.lower() != f"http://{str(host).lower()}":
        return Refusal(403, "cross-origin requests are refused")
    if headers.get("sec-fetch-site", "").lower() == "cross-site":
        return Refusal(403, "cross-site requests are refused")
    return None


def check_token(authorization: str | None, token: str | None) -> Refusal | None:
    if token is None:
        return None
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        return Refusal(401, "a valid token is needed (Authorization: Bearer <token>)")
    return None


def check_json_body(content_type: str | None) -> Refusal | None:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        return Refusal(415, "the API accepts JSON only (Content-Type: application/json)")
    return None
