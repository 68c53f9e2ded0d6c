"""The page's files, served from the package (I/O: read once at start-up; no CDN, no disk
path from a request ever reaches the file system).

Each asset is held in memory with its gzip form and an ETag; the page's Content-Security-Policy
allows nothing but this server (no inline script, no other origin).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from importlib import resources

# URL path → file in controller/web/static, and its type. Nothing else is served.
FILES: dict[str, tuple[str, str]] = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/app.css": ("app.css", "text/css; charset=utf-8"),
    "/icon.svg": ("icon.svg", "image/svg+xml"),
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes
    etag: str
    content_type: str
    csp: str = CSP


class Assets:
    def __init__(self, files: dict[str, Asset]) -> None:
        self._files = files

    @classmethod
    def load(cls) -> Assets:
        static = resources.files("controller.web") / "static"
        files = {}
        for path, (name, content_type) in FILES.items():
            body = (static / name).read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            files[path] = Asset(body, gzip.compress(body, 9, mtime=0), etag, content_type)
        return cls(files)

    def get(self, path: str) -> Asset | None:
        return self._files.get("/" if path == "/index.html" else path)

    def total_bytes(self, gzipped: bool = False) -> int:
        """The page's weight: every asset it loads."""
        return sum(len(a.gzipped if gzipped else a.body) for a in self._files.values())
