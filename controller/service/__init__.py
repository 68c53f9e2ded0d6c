"""The service: the loop that feeds frames to the core and events to the adapters, with its
config, state paths, journal, logs, console and systemd notify (the thin shell).
"""
