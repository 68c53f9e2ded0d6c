"""Renderings for people: the terminal monitor and the session report."""
