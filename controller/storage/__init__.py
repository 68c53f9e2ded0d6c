"""Storage adapters: the session history (SQLite), habits derived from it, and recordings."""
