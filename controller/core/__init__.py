"""The pure core: frames and commands in, a new state and events out.

No I/O, no clock reads, no logging: an import contract (``lint-imports``) and a test keep
sqlite3, socket, threading, logging and the I/O libraries out of every module here.
"""
