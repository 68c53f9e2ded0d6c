"""The mat's own web page: a JSON API, a server-sent event stream and a small page, served by
the service's own process from the package (adapter: ``adapter.WebAdapter``; see docs/web.md).
"""
