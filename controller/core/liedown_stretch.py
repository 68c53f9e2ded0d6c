"""A still stretch of the lie-back (``liedown``), its running sums, its anchor, whether a
move from the anchor was sitting down rather than lying back (``sat_down``), whether it laid
load down a row head-wards of the anchor's (``landed_ahead``), whether it carried load past
the seat (``carried_past_seat``), and whether the anchor was reached by swinging the legs onto
the mat ahead of a seat on a long side edge (``legs_swung_on``) (pure).

A stretch's samples (time, centre of pressure, total, each zone's share) reach its sums only
once ``MOVE_BEGUN_S`` old, since the controller's stillness ends that long after a move began:
the last moments of a stretch are the next move's. ``before`` sums the settled samples (mean
centre of pressure and total, spread of each zone's share), ``rung`` the totals once a
landing's ring has died (how much the total bobs). Samples are folded in batches, so a stretch
of any length takes bounded memory, and each sum is still added up sample after sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from operator import mul

RINGING_S = 0.3  # a stretch's first moments are its landing, left out of the sums
MOVE_BEGUN_S = 0.6  # the controller's stillness ends this long after a move began
RING_S = 1.2  # a landing's ring (~10 %, τ 0.35 s) is under 0.4 % by then
MIN_STRETCH_S = 0.5  # a still stretch this long is a pause (``liedown``): an anchor

Sample = tuple[float, float, float, list[float]]  # t, centre of pressure, total, shares
# Lying back carries load head-wards only: the pelvis stays where the seat was, the legs where they
# were (straightening bent knees slides shanks and feet, ~12 % of the body and read low, on by
# ~0.15 of the height: under 6 % of the load past the anchor's rows in the sweep). Sitting down
# from the feet with the legs stretched ahead lands shanks, feet and part of the thighs (10-25 %)
# beyond where the feet stood: this much beyond the anchor's foot-most loaded row is no lie-back.
_BEYOND_SHARE = 0.08
# Where the feet stood in the foot-end row nothing lies beyond it. There, a load held mostly within
# one row (feet: this much of it or more)...
_COMPACT_SHARE = 0.80
# ...that left the row (this much or less stays) for rows more than a row ahead (this much or
# more) was carried there by sitting down: the seat lands well behind the feet and only the legs
# trail back over where they stood. A seat lying back keeps its pelvis and thighs in its row and
# sends the trunk ahead of it; no lie-back of the sweep from such a load did both (the 56 lying
# runs that did had anchored on the feet and been taken for lying on the seat before lying back).
_KEPT_SHARE = 0.30
_AHEAD_SHARE = 0.15
_LOADED_ROW_SHARE = 0.02  # a row of the anchor with this much of its load was loaded
# Lying back lays the trunk (about half the load) down 0.3-0.6 m head-wards of the seat, while
# the pelvis stays; the legs may stretch out at the same time (knees up to straight, or curling
# onto a side), which carries load the other way, so the centre of pressure can move less than
# ``MOVE_M``. Whatever the legs do, this much of the load in rows head-wards of every row
# the anchor loaded was laid down there. A seat shifting its weight puts at most its hands
# (leaning back on them: 5-10 % of the load) a row behind it.
_LANDED_SHARE = 0.15
# After a seat held longer than a pause on the way down (``liedown.PASSING_SEAT_S``) the centre of
# pressure alone must move further (a sitter's weight shift moves it 5-6 cm, and scooting back
# shifts it up to ~0.2 m on coarse tiles: ``liedown._need_m``), but a scoot of 8-12 cm
# carries the seat into rows it already loaded: its rear 10 cm, at most ~0.15 of the load, can
# cross into a fresh row only where the seat's rear edge lay on the border. No upright run of the
# sweep laid more than 0.11 of its load ahead of every row its seat loaded, and that one (hands
# put behind the hips, leaning back on them) moved the centre under 5 cm. Lying back lays the
# trunk, head and arms (about half the body) 0.3-0.6 m head-wards of the pelvis. So after a long
# seat this much laid ahead is a lie-back however little the centre moved (the legs stretching out
# as the trunk lies down: 0.25-0.36 laid ahead, the centre 5-9 cm)...
_LANDED_AFTER_LONG_SHARE = 0.20
# ...and so is this much with the centre moved as far as a lie-back's second step (a seat in the
# middle of its row keeps the lower trunk there). With the seat held 25-35 s (the sweep's
# lie-downs, ``evaluation/long_seat.py``) 72 of 1,944 lie-backs are missed; the 0.22 m alone
# missed 1,127.
_LANDED_AFTER_LONG_MOVED_SHARE = 0.10
# A seat on a long side edge has its feet on the floor beyond the edge, carrying the shanks and
# feet (~12 % of the body) and part of the thighs; turning to face the foot end swings the legs
# onto the mat ahead of the seat. So the total grows by at least this share of the seat's load,
# and as much lands in rows foot-wards of the seat's row (0.13-0.36 in ``firmware.sim.ways_on``'s
# stories where the feet land on the mat; a tall body's knees-up feet may end beyond the foot
# end of a short mat, and its total grows less)...
LEGS_ON_SHARE = 0.10
# ...while the seat's row and those head-wards of it keep at least this much of their load (a
# seat stays put: 0.97-1.24 of it kept; a foot landing beside another on the mat takes half of
# the other's load).
_SEAT_KEPT = 0.75
# The least move of the centre of pressure along the mat that is a move at all (a lie-back's,
# sitting up's, the way to a seat's); within it a load is still at its place.
MOVE_M = 0.05
SECOND_MOVE_M = 0.10  # leaning back on the hands moves the load 2-6 cm: a lie-back moves more
# Lying back lays the trunk down head-wards of the seat, so load crosses a row border head-wards of
# the anchor's busiest row (the seat, or the feet the body stood on): at least the head and
# shoulders, ~0.10 of the load, where the seat sits a whole row (0.43 m on the coarsest layouts)
# foot-wards of the border; about half the load where it sits near one. Drawing the legs in or
# stretching them out moves load between rows foot-wards of the seat, and can move the centre of
# pressure by as much (0.05 m), yet carries nothing past the seat: less than half that smallest
# lie-back's is none.
_PAST_SEAT_SHARE = 0.05
# Not more after a seat held long: someone who sits a while, then lies back, carries no more past
# the seat than one who paused 1-3 s. Asking the 0.15 a trunk laid a row ahead carries after a
# seat held over 8 s removed 13 more false sessions (weight shifts carrying 0.06-0.08) but, with
# the sweep's lie-downs pausing 15 s on the seat, missed 241 of 1,944 lying runs against 103.
# A sway is judged over samples spanning this long (four at 10 frames a second, 0.3 s; half a
# frame less, so that a frame's rounding in ``t`` does not decide), and never on fewer than three:
# the spread of two samples is half their difference, whatever the body does between them.
SWAY_SPAN_S = 0.25
_SWAY_MIN_SAMPLES = 3
_BATCH = 64  # settled samples kept before they are folded into the sums (bounded memory)


@dataclass(slots=True)
class _Sums:
    """Running sums over a stretch's samples: mean centre of pressure and total, spread of each
    zone's share and of the total. Samples are folded in batches, each sum still added up
    sample after sample in order (``sum`` with a start value)."""

    n: int = 0
    first_t: float = 0.0  # the first and the last sample's time (when ``n``)
    last_t: float = 0.0
    cop: float = 0.0
    total: float = 0.0
    total_sq: float = 0.0
    shares: list[float] = field(default_factory=list)
    shares_sq: list[float] = field(default_factory=list)

    def fold(self, samples: list[Sample], shares_too: bool) -> None:
        """Adds ``samples``: with ``shares_too`` their centre of pressure and shares, else the
        square of their totals (what each use of the sums reads)."""
        if not samples:
            return
        if not self.n:
            self.first_t = samples[0][0]
        self.last_t = samples[-1][0]
        self.n += len(samples)
        totals = [s[2] for s in samples]
        self.total = sum(totals, self.total)
        if not shares_too:
            self.total_sq = sum(map(mul, totals, totals), self.total_sq)
            return
        self.cop = sum([s[1] for s in samples], self.cop)
        columns = list(zip(*[s[3] for s in samples], strict=True))
        if not self.shares:
            self.shares, self.shares_sq = [0.0] * len(columns), [0.0] * len(columns)
        self.shares = [sum(c, m) for c, m in zip(columns, self.shares, strict=True)]
        self.shares_sq = [
            sum(map(mul, c, c), q) for c, q in zip(columns, self.shares_sq, strict=True)
        ]

    def judged(self) -> bool:
        """Enough samples, over long enough, to judge a sway by (``SWAY_SPAN_S``,
        ``_SWAY_MIN_SAMPLES``): four at 10 frames a second, 21 at 80, three at 5 or fewer."""
        return self.n >= _SWAY_MIN_SAMPLES and self.last_t - self.first_t >= SWAY_SPAN_S

    def share_spread(self) -> float:
        n = self.n
        return max(
            math.sqrt(max(q / n - (m / n) ** 2, 0.0))
            for m, q in zip(self.shares, self.shares_sq, strict=True)
        )

    def total_bob(self) -> float:
        mean = self.total / self.n
        return math.sqrt(max(self.total_sq / self.n - mean * mean, 0.0)) / mean if mean > 0 else 0.0


@dataclass(slots=True)
class Stretch:
    """A still stretch; samples reach the sums only once ``MOVE_BEGUN_S`` old (the end of a
    stretch is seen only after the next move began)."""

    start_t: float
    last: Sample
    first_settled: Sample | None = None
    # settled samples not folded yet: those before ``cut`` are old enough for the sums
    settled: list[Sample] = field(default_factory=list)
    cut: int = 0
    before: _Sums = field(default_factory=_Sums)  # settled samples, not in the last moments
    rung: _Sums = field(default_factory=_Sums)  # those, once a landing's ring has died
    ringing_until_t: float = field(init=False)  # ``start_t + RINGING_S``, made once

    def __post_init__(self) -> None:
        self.ringing_until_t = self.start_t + RINGING_S

    def add(self, s: Sample) -> None:
        self.last = s
        t = s[0]
        if t < self.ringing_until_t:
            return
        if self.first_settled is None:
            self.first_settled = s
        settled = self.settled
        settled.append(s)
        cut, cut_t = self.cut, t - MOVE_BEGUN_S
        while settled[cut][0] < cut_t:
            cut += 1
        self.cut = cut
        if cut >= _BATCH:
            self.fold()

    def settled_shares(self) -> list[float]:
        """Each zone's mean share over the settled samples (after ``fold``), or the first
        settled sample's (the last's) when none is old enough."""
        before = self.before
        if before.n:
            return [x / before.n for x in before.shares]
        return (self.first_settled or self.last)[3]

    def fold(self) -> None:
        """Adds the samples old enough to the sums: all to ``before``, to ``rung`` those after
        the landing's ring (only their totals are read)."""
        done = self.settled[: self.cut]
        self.before.fold(done, shares_too=True)
        rung_t = self.start_t + RING_S
        self.rung.fold([s for s in done if s[0] >= rung_t], shares_too=False)
        del self.settled[: self.cut]
        self.cut = 0


@dataclass(frozen=True, slots=True)
class Anchor:
    """The load of a still stretch: when it ended, how long it lasted, its mean centre of
    pressure along the mat and its mean total."""

    t: float
    duration_s: float
    cop_m: float
    total_kg: float
    came_m: float = 0.0  # how far it lies head-wards of where the body stood before it
    row_shares: tuple[float, ...] = ()  # each row's share of its load, head end first
    legs_on: bool = False  # reached by swinging the legs onto the mat ahead of a seat
    # reached head-wards from the still pose before it: the body was already down (a seat behind
    # the feet, a hip beside the heels), so a move from it is no sitting down from the feet
    down: bool = False
    x_m: float = 0.0  # its centre of pressure across the mat
    # how long its load stood at its place, not still, since the calm pause before it, before a
    # stretch too short to judge by its sway (0: long enough and calm, or frames too slow)
    stood_s: float = 0.0


def share_ahead(before: tuple[float, ...], now: list[float]) -> float:
    """The share of the load now in rows head-wards of every row the anchor's load (``before``:
    shares, head end first) loaded."""
    loaded = [r for r, x in enumerate(before) if x >= _LOADED_ROW_SHARE]
    return sum(now[: min(loaded)]) if loaded else 0.0


def landed_ahead(ahead_share: float, moved_m: float, long_seat: bool) -> bool:
    """A trunk laid down ahead of the seat (``ahead_share``: ``share_ahead``), the centre of
    pressure moved ``moved_m`` head-wards, after a seat held long or not."""
    if not long_seat:
        return ahead_share >= _LANDED_SHARE
    if ahead_share >= _LANDED_AFTER_LONG_SHARE:
        return True
    return ahead_share >= _LANDED_AFTER_LONG_MOVED_SHARE and moved_m >= SECOND_MOVE_M


def carried_past_seat(before: tuple[float, ...], now: list[float]) -> bool:
    """The move from an anchor whose rows held ``before`` to rows holding ``now`` (shares, head
    end first) carried enough load across a row border head-wards of the anchor's busiest row
    to be a trunk laid down (``_PAST_SEAT_SHARE``)."""
    if not before:
        return False
    seat = max(range(len(before)), key=before.__getitem__)
    carried, now_ahead, before_ahead = 0.0, 0.0, 0.0
    for row in range(seat):  # each border head-wards of the seat: the load carried across it
        now_ahead += now[row]
        before_ahead += before[row]
        carried = max(carried, now_ahead - before_ahead)
    return carried >= _PAST_SEAT_SHARE


def no_lie_back(anchor: Anchor, now: list[float], past_seat_asked: bool) -> bool:
    """The move from ``anchor`` to rows holding ``now`` is no lie-back: it sat down from the
    feet (``sat_down``), or, where asked (the centre of pressure moved, before the body lay in
    this visit), it carried too little load past the seat (``carried_past_seat``)."""
    before = anchor.row_shares
    if not anchor.down and sat_down(before, now):
        return True
    return past_seat_asked and not carried_past_seat(before, now)


def sat_down(before: tuple[float, ...], now: list[float]) -> bool:
    """The move from an anchor whose rows held ``before`` to rows holding ``now`` (shares, head
    end first) was sitting down from the feet, not lying back: load landed beyond the anchor's
    foot-most loaded row (the legs stretched ahead), or a load held mostly within one row left
    it for rows more than a row ahead (the seat well behind the feet)."""
    loaded = [r for r, x in enumerate(before) if x >= _LOADED_ROW_SHARE]
    if not loaded:
        return False
    if sum(now[max(loaded) + 1 :]) >= _BEYOND_SHARE:
        return True
    row = max(range(len(before)), key=before.__getitem__)
    ahead = sum(now[: max(row - 1, 0)])
    return before[row] >= _COMPACT_SHARE and now[row] <= _KEPT_SHARE and ahead >= _AHEAD_SHARE


def legs_swung_on(before: Anchor | None, total_kg: float, rows: tuple[float, ...]) -> bool:
    """The still load holding ``rows`` (shares, head end first) at ``total_kg`` was reached from
    the still load ``before`` (the anchor before it, if any) by swinging the legs onto the mat
    ahead of a seat that stayed (``LEGS_ON_SHARE``, ``_SEAT_KEPT``): a seat taken on a long
    side edge, the feet on the floor, turned to face the foot end. A stance on the mat has all
    its weight there already; one astride the edge shifts its weight between the mat and the
    floor (the total bobs) and no still anchor is made of it."""
    if before is None or not rows or len(before.row_shares) != len(rows):
        return False
    b, before_kg = before.row_shares, before.total_kg
    seat = max(range(len(b)), key=b.__getitem__)
    kept_kg = sum(rows[: seat + 1]) * total_kg
    landed_kg = sum(rows[seat + 1 :]) * total_kg - sum(b[seat + 1 :]) * before_kg
    return (
        total_kg - before_kg >= LEGS_ON_SHARE * before_kg
        and landed_kg >= LEGS_ON_SHARE * before_kg
        and kept_kg >= _SEAT_KEPT * sum(b[: seat + 1]) * before_kg
    )
