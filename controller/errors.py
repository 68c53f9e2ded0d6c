"""The controller's error base. Data problems become events; only programming errors raise."""


class ControllerError(Exception):
    """Base of every error raised by the controller package."""


class ConfigError(ControllerError, ValueError):
    """A configuration that cannot run; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
