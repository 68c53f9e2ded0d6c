"""The firmware's error base. Specific errors also inherit the matching builtin."""


class FirmwareError(Exception):
    """Base of every error raised by the firmware package."""
