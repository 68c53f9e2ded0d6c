"""Behavioural fakes for the service loop: a list-backed frame source, adapters, a lifecycle.

Each implements the same seam as production (``FrameSource``, ``Adapter``, ``Lifecycle``), so
mypy checks them against it. They record what the loop did to them in one shared ``Timeline``,
so a test can ask what happened in which order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from controller.core.commands import Command, CommandRequest, CommandResult
from controller.core.events import Event
from controller.core.state import MatState
from controller.service.loop import Lifecycle
from firmware.clock import FakeClock
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout

Timeline = list[tuple[object, ...]]
"""What happened, in order: ("frame", adapter, t), ("reply", adapter, command, ok), ..."""


def empty_frames(count: int, rate_hz: float = 10.0) -> list[ZoneFrame]:
    """An empty mat (0 kg on every zone of the default layout) for ``count`` frames."""
    zeros = tuple(0.0 for _ in DEFAULT_LAYOUT.names)
    return [ZoneFrame(t=i / rate_hz, load_kg=zeros) for i in range(count)]


class ListSource:
    """A ``FrameSource`` that yields a list, then optionally fails like an unplugged board.

    With a ``clock`` it is paced like a live source: the clock reads each frame's ``t`` (plus
    ``clock_offset_s``) when the frame is handed over. ``gate_at`` is a frame time at which
    it stops, as a hung driver does, until ``gate`` is set (``reached`` says it got there).
    """

    def __init__(
        self,
        frames: Sequence[ZoneFrame],
        layout: MatLayout = DEFAULT_LAYOUT,
        fail_with: Exception | None = None,
        clock: FakeClock | None = None,
        gate_at: float | None = None,
    ) -> None:
        self._frames = frames
        self._layout = layout
        self._fail_with = fail_with
        self._clock = clock
        self.clock_offset_s = 0.0
        self._gate_at = gate_at
        self.reached = threading.Event()
        self.gate = threading.Event()
        self.taken = 0
        self.closed = 0

    @property
    def layout(self) -> MatLayout:
        return self._layout

    def frames(self) -> Iterator[ZoneFrame]:
        for frame in self._frames:
            if self._gate_at is not None and frame.t >= self._gate_at and not self.gate.is_set():
                self.reached.set()
                assert self.gate.wait(10.0), "the test never opened the gate"
            if self._clock is not None:
                self._clock.advance(frame.t + self.clock_offset_s - self._clock.monotonic())
            self.taken += 1
            yield frame
        if self._fail_with is not None:
            raise self._fail_with

    def close(self) -> None:
        self.closed += 1


@dataclass(frozen=True, slots=True)
class Delivery:
    frame: ZoneFrame
    events: tuple[Event, ...]
    state: MatState


class BrokenAdapterError(RuntimeError):
    """What a broken fake adapter raises."""


@dataclass
class FakeAdapter:
    """An ``Adapter`` that records every delivery and sends the commands it is given.

    ``commands_at[t]`` are received when the frame at ``t`` arrives, and handed to the loop at
    its next ``take_commands``; ``actions_at[t]`` run when that frame arrives (a signal handler
    calling ``stop()``, say). The ``fail_on_*`` flags make it a broken adapter.
    """

    name: str
    timeline: Timeline = field(default_factory=list)
    commands_at: dict[float, list[Command]] = field(default_factory=dict)
    actions_at: dict[float, Callable[[], None]] = field(default_factory=dict)
    fail_on_start: bool = False
    fail_on_frame: bool = False
    fail_on_take: bool = False
    fail_on_reply: bool = False
    fail_on_close: bool = False
    on_delivery: Callable[[Delivery], None] | None = None  # after each delivery (loop thread)
    deliveries: list[Delivery] = field(default_factory=list)
    replies: list[tuple[Command, CommandResult]] = field(default_factory=list)
    started: int = 0
    closed: int = 0
    _received: list[CommandRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self.started += 1
        self.timeline.append(("start", self.name))
        if self.fail_on_start:
            raise BrokenAdapterError(f"{self.name} cannot start")

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        self.timeline.append(("frame", self.name, frame.t))
        if self.fail_on_frame:
            raise BrokenAdapterError(f"{self.name} cannot take frame {frame.t}")
        delivery = Delivery(frame, tuple(events), state)
        self.deliveries.append(delivery)
        for command in self.commands_at.pop(frame.t, []):
            self.send(command)
        action = self.actions_at.pop(frame.t, None)
        if action is not None:
            action()
        if self.on_delivery is not None:
            self.on_delivery(delivery)

    def send(self, command: Command) -> None:
        """A command arrives (from any thread, as MQTT's do)."""
        with self._lock:
            self._received.append(CommandRequest(command, self._reply_to(command)))

    def take_commands(self) -> list[CommandRequest]:
        if self.fail_on_take:
            raise BrokenAdapterError(f"{self.name} lost its command queue")
        with self._lock:
            taken, self._received = self._received, []
        return taken

    def close(self) -> None:
        self.closed += 1
        self.timeline.append(("close", self.name))
        if self.fail_on_close:
            raise BrokenAdapterError(f"{self.name} cannot close")

    def _reply_to(self, command: Command) -> Callable[[CommandResult], None]:
        def reply(result: CommandResult) -> None:
            self.replies.append((command, result))
            self.timeline.append(("reply", self.name, command.name, result.ok))
            if self.fail_on_reply:
                raise BrokenAdapterError(f"{self.name} cannot send the answer")

        return reply

    def events(self) -> list[Event]:
        return [event for delivery in self.deliveries for event in delivery.events]


@dataclass
class RecordingLifecycle(Lifecycle):
    """What the loop told its supervisor (systemd's READY=1, WATCHDOG=1, STOPPING=1), in order,
    also written into the adapters' timeline."""

    timeline: Timeline = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    fail_on_stopping: bool = False

    def _note(self, call: str) -> None:
        self.calls.append(call)
        self.timeline.append((call,))

    def ready(self) -> None:
        self._note("ready")

    def watchdog(self) -> None:
        self._note("watchdog")

    def stopping(self) -> None:
        self._note("stopping")
        if self.fail_on_stopping:
            raise BrokenAdapterError("the supervisor's socket is gone")
