"""A stance told by how its still pause ended (``liedown_across.stayed_s``): a seat's pause ends
as the move away from it begins, while a stance's can end in its own unrest, the body standing on
at its place before it sits down.

Zone loads (kg) on the default 2 × 3 mat (rows 0.43 m long, two columns 0.25 m wide), made up
per row and per column. The controller's stillness is passed in as the tests say: a stance
stands at its place not still and pauses still now and then; a seat is still once its landing
has rung out, until it moves.
"""

from __future__ import annotations

from controller.core.liedown_across import STOOD_S, sat_from_stance, stayed_s
from controller.core.liedown_stretch import Anchor
from tests.core.test_liedown_across import KG, Step, loads, play

FEET = loads(0.0, 0.89, 0.11, left=0.49)  # both feet in the middle row
# A stance correcting its balance: its load sways between the rows (the centre by ~1 cm).
SWAY = (loads(0.0, 0.87, 0.13, left=0.49), loads(0.0, 0.91, 0.09, left=0.49))
# Sat down right behind them across the head-end border, the legs stretched over where the feet
# stood, the seat centred between the feet: in the rows, a curled body lain down from the feet.
SEAT = loads(0.36, 0.53, 0.11)
# A foot landing first, further towards the foot end, as the person steps on (8 cm foot-wards of
# where the feet then stand): the stance is "reached head-wards" from it.
LANDING = loads(0.0, 0.70, 0.30)
KNEES_UP = loads(0.25, 0.65, 0.10)  # a knees-up seat behind the feet, the feet still on the mat
LYING = loads(0.60, 0.32, 0.08)  # the trunk laid down head-wards of it


def stand(seconds: float) -> list[Step]:
    """Stands at the feet's place, not still, swaying every half second, back to ``FEET``."""
    steps: list[Step] = [(SWAY[i % 2], 0.5, False) for i in range(round(seconds * 2) - 1)]
    return [*steps, (FEET, 0.5, False)]


def test_a_stance_that_stood_on_after_a_short_pause_sat_down() -> None:
    # Stepped on, stood 1 s, paused still 0.6 s (too soon after stepping on to tell by the time
    # before it), then stood on at its place 2.5 s, not still, before sitting down behind the feet.
    steps: list[Step] = [(FEET, 1.0, False), *stand(1.0), (FEET, 0.6, True), *stand(2.5)]
    lie_back = play([*steps, (SEAT, 2.0, False), (SEAT, 3.0, True)])
    assert lie_back.anchor is not None and lie_back.anchor.stood_s < STOOD_S
    assert not lie_back.seen and not lie_back.two_step


def test_a_stance_reached_head_wards_by_its_landing_that_stood_on_sat_down() -> None:
    # The first foot landed 8 cm foot-wards: the short pause after it looks reached head-wards,
    # a seat on the way down; the body standing on at its place says it was the feet.
    steps: list[Step] = [(LANDING, 1.0, False), (FEET, 0.5, False), (FEET, 0.7, True)]
    lie_back = play([*steps, *stand(2.5), (SEAT, 2.0, False), (SEAT, 3.0, True)])
    assert lie_back.anchor is not None and lie_back.anchor.came_m >= 0.05
    assert not lie_back.seen and not lie_back.two_step


def test_lying_back_from_a_seat_as_its_pause_ends_is_seen() -> None:
    stance: list[Step] = [(FEET, 1.0, False), *stand(3.0)]
    seat: list[Step] = [(KNEES_UP, 2.0, False), (KNEES_UP, 1.5, True)]
    lie_back = play([*stance, *seat, (LYING, 2.5, False), (LYING, 3.0, True)])
    assert lie_back.seen and lie_back.two_step


def test_the_place_a_load_stayed_at_is_no_wider_than_half_the_move() -> None:
    anchor = Anchor(10.0, 1.5, 0.60, KG, x_m=0.25)
    # a slow lie-back moving the centre 6 cm in all: 2 cm by 10.5 s, 4 cm by 11 s
    trail = ((9.5, 0.60, KG), (10.0, 0.60, KG), (10.5, 0.58, KG), (11.0, 0.56, KG))
    assert stayed_s(trail, anchor, 0.06) == 0.5  # left half its way (3 cm) by 11 s
    assert stayed_s(trail, anchor, 0.20) == 1.0  # a 5 cm place: still in it at 11 s
    grew = ((10.0, 0.60, KG), (10.5, 0.60, 1.2 * KG))
    assert stayed_s(grew, anchor, 0.20) == 0.0  # the total grew: the load left its place


def test_a_pause_that_ended_in_place_was_a_stance_wherever_it_came_from() -> None:
    seat = Anchor(10.0, 1.0, 0.7, KG, came_m=0.3, x_m=0.25, stood_s=3.0)
    assert not sat_from_stance(seat, 0.255, KG, way_down=True)  # reached head-wards: a seat
    assert sat_from_stance(seat, 0.255, KG, stayed=STOOD_S, way_down=True)
    assert not sat_from_stance(seat, 0.29, KG, stayed=STOOD_S, way_down=True)  # onto a hip
