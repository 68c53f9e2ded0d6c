"""The fault-reason vocabulary: why a zone has no weight, in firmware and core alike (pure).

One closed set of reasons, typed as ``FaultReason``. The firmware puts the single-sample ones
in a frame's ``faults`` (a read that failed, a rail, a stuck word, a missing scale); the pure
core adds the ones it can only judge from values over time, and reports whichever holds for
``missing_s`` as ``sensor_fault.fault``. ``MEANINGS`` gives each reason its one-line meaning
(for people: docs, logs, dashboards); a test keeps the documentation in step with it.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

# A read of one board that gave no usable word (the backends' statuses other than "ok").
ReadFault = Literal["not_ready", "saturated", "interrupted", "io_error"]
# A backend's status for one read of one board (``Reading.status``).
ReadStatus = Literal["ok", ReadFault]
FaultReason = Literal[
    ReadFault, "stuck", "uncalibrated", "no_reading", "out_of_range", "drifting", "offset_jump"
]

NOT_READY: Final[ReadFault] = "not_ready"
SATURATED: Final[ReadFault] = "saturated"
INTERRUPTED: Final[ReadFault] = "interrupted"
IO_ERROR: Final[ReadFault] = "io_error"
STUCK: Final[FaultReason] = "stuck"
UNCALIBRATED: Final[FaultReason] = "uncalibrated"
NO_READING: Final[FaultReason] = "no_reading"
OUT_OF_RANGE: Final[FaultReason] = "out_of_range"
DRIFTING: Final[FaultReason] = "drifting"
OFFSET_JUMP: Final[FaultReason] = "offset_jump"

READ_FAULTS: Final[tuple[ReadFault, ...]] = get_args(ReadFault)
FAULT_REASONS: Final[tuple[FaultReason, ...]] = get_args(FaultReason)

MEANINGS: Final[dict[FaultReason, str]] = {
    NOT_READY: "the board never signalled a conversion (DOUT stayed high): unplugged, unpowered"
    " or dead",
    SATURATED: "the word sat on a rail (0x7FFFFF / 0x800000): overload or a broken input wire",
    INTERRUPTED: "the clock stayed high too long and the board may have powered down: word dropped",
    IO_ERROR: "the backend failed (a GPIO or sysfs error, or the wrong number of readings)",
    STUCK: (
        "the same 24-bit word came stuck_samples times in a row: a live ADC never repeats so;"
        " from a frame file (kg, no words), a zone of 1 kg or more that alone holds the mat"
        " repeated its reading exactly for 30 s while another zone moved"
    ),
    UNCALIBRATED: "the zone has counts but no scale yet: run `acumat calibrate`",
    NO_READING: "the source gave no value and no reason (frame files store none)",
    OUT_OF_RANGE: "a value outside [min_zone_kg, max_zone_kg]: not a load a tile can carry",
    DRIFTING: "one zone alone climbed or fell steadily for 15 s, in small steps: a failing cell,"
    " not a load",
    OFFSET_JUMP: "one zone alone stepped by 3 kg or more between two frames under a person, flat"
    " before and after: a knocked cell, its zero moved by the step",
}
