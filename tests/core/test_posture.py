"""The posture classifier alone: lying needs its shape and the way there, sitting stays sitting.

Zone loads (kg) on the default 2 × 3 mat (rows 0.43 m long); band shares are those of bodies
of the segment model: sitting knees up with the seat in the middle row; lying supine with the
head at the head end; long-sitting with the seat across the first row border.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from controller.core.events import Posture
from controller.core.geometry import Geometry, build_geometry
from controller.core.posture import PostureClassifier
from controller.core.settings import DetectionSettings
from firmware.layout import DEFAULT_LAYOUT

GEOMETRY = build_geometry(DEFAULT_LAYOUT)


def rows(head: float, middle: float, foot: float, kg: float = 70.0) -> list[float]:
    """Both columns of each row alike, shares of ``kg``."""
    return [x * kg / 2 for x in (head, head, middle, middle, foot, foot)]


SEAT = rows(0.0, 0.80, 0.20)  # sitting knees up, seat in the middle row
LYING = rows(0.24, 0.51, 0.25, 66.0)  # supine, head at the head end
HIPS_UP = rows(0.57, 0.03, 0.40, 66.0)  # bridge: nothing under the lifted hips
KNEES_UP_BORDER = rows(0.40, 0.36, 0.24)  # seat across the first row border, feet ahead
LONG_SIT_BORDER = rows(0.35, 0.52, 0.13)  # the same seat, legs stretched
FEET = rows(0.0, 0.0, 1.0, 75.0)  # standing in the foot-end row


Step = tuple[Sequence[float], float, bool]  # loads, seconds, still


def play(
    steps: Sequence[Step], sway_ratio: float = 0.002, geometry: Geometry = GEOMETRY
) -> tuple[PostureClassifier, list[Posture]]:
    """Feeds 10 Hz frames; moves blend linearly from the last loads over the step's time. The
    person arrives over a second first, its load growing in place, as the service sees it when
    its journal held no open session: such a body is judged by its way there and its shape
    (with nothing known, as in replay, it would be taken as lain there: test_restart.py).
    The other posture tests (kneeling, side edge) play their stories through it on their mats."""
    classifier = PostureClassifier(geometry, DetectionSettings(), lambda: False)
    t, reported = 0.0, []
    first = steps[0][0]
    last: Sequence[float] = [0.3 * kg for kg in first]
    for loads, seconds, still in [(first, 1.0, False), *steps]:
        n = round(seconds * 10)
        for i in range(n):
            share = 1.0 if still else (i + 1) / n
            now = [a + share * (b - a) for a, b in zip(last, loads, strict=True)]
            event = classifier.update(t, now, occupied=True, sway_ratio=sway_ratio, still=still)
            if event is not None:
                reported.append(event.posture)
            t += 0.1
        last = loads
    return classifier, reported


def test_lying_back_from_a_seat_is_lying() -> None:
    classifier, reported = play([(SEAT, 3.0, True), (LYING, 2.5, False), (LYING, 4.0, True)])
    assert reported[-1] == "lying" and classifier.lie_back.seen


def test_the_same_profile_without_the_way_there_stays_sitting() -> None:
    # On 2 x 3 tiles a seat across a row border can make this profile too.
    _, reported = play([(LYING, 10.0, True)])
    assert reported == ["sitting"]


def test_a_body_already_lying_when_the_controller_starts_is_lying() -> None:
    # ...with a session open (restored from the journal): tests/core/test_restart.py
    classifier = PostureClassifier(GEOMETRY, DetectionSettings(), lambda: True)
    for i in range(60):
        classifier.update(i / 10, LYING, occupied=True, sway_ratio=0.0, still=i > 5)
    assert classifier.posture == "lying"


def test_a_shape_no_upright_body_makes_is_lying_at_once() -> None:
    _, reported = play([(HIPS_UP, 5.0, True)])
    assert reported == ["lying"]


def test_long_sitting_across_a_border_with_leans_and_shifts_stays_sitting() -> None:
    lean = rows(0.38, 0.50, 0.12)  # hands behind: the centre of pressure 2 cm head-wards
    steps: list[Step] = [(KNEES_UP_BORDER, 3.0, True), (LONG_SIT_BORDER, 2.0, False)]
    for _ in range(3):
        steps += [(LONG_SIT_BORDER, 20.0, True), (lean, 1.5, False), (lean, 8.0, True)]
        steps += [(LONG_SIT_BORDER, 1.5, False)]
    _, reported = play(steps)
    assert "lying" not in reported


CURLED = rows(0.48, 0.48, 0.04, 57.0)  # curled on a side, the head beyond the head end


def test_curling_up_after_sitting_down_from_the_feet_is_lying() -> None:
    # Two feet across a row border explain this profile too; two head-ward steps (feet to
    # seat, seat to lying) do not come from feet.
    steps: list[Step] = [(FEET, 3.0, False), (SEAT, 2.0, True), (CURLED, 2.5, False)]
    classifier, reported = play([*steps, (CURLED, 4.0, True)])
    assert reported == ["sitting", "lying"] and classifier.lie_back.two_step


# A small body (1.52 m) curled on a side with the head 10 cm beyond the head end: nothing in the
# foot-end row, and about half the load on each side of the first border, as a pressure map
# between the coarse styles reads it (the textbook puts ~0.40 in the head-end row, a moderately
# upper-heavy map ~0.48, the heaviest ~0.61).
CURLED_SMALL = rows(0.44, 0.56, 0.0, 57.0)


def test_a_small_body_curled_between_the_pressure_styles_is_lying() -> None:
    steps: list[Step] = [(FEET, 3.0, False), (SEAT, 2.0, True), (CURLED_SMALL, 2.5, False)]
    classifier, reported = play([*steps, (CURLED_SMALL, 4.0, True)])
    assert reported == ["sitting", "lying"] and classifier.lie_back.two_step


def test_the_same_move_from_a_seat_reached_from_nowhere_is_not_lying() -> None:
    # The seat was never reached head-wards (the body arrived there): feet may have made it.
    classifier, reported = play([(SEAT, 2.0, True), (CURLED, 2.5, False), (CURLED, 4.0, True)])
    assert "lying" not in reported and classifier.lie_back.seen
    assert not classifier.lie_back.two_step


def test_stepping_about_on_the_feet_is_not_lying_back() -> None:
    across = rows(0.0, 0.5, 0.5, 75.0)  # standing on the second row border
    _, reported = play([(FEET, 3.0, True), (across, 1.0, False), (across, 5.0, True)], 0.03)
    assert "lying" not in reported


def test_lying_stays_lying_through_a_roll_and_leaves_when_sitting_up() -> None:
    side = rows(0.30, 0.45, 0.25, 64.0)
    steps: list[Step] = [(SEAT, 3.0, True), (LYING, 2.5, False), (LYING, 5.0, True)]
    steps += [(side, 3.0, False), (side, 5.0, True)]
    _, reported = play(steps)
    assert reported[-1] == "lying"
    _, reported = play([*steps, (SEAT, 2.5, False), (SEAT, 5.0, True)])
    assert reported[-1] == "sitting"


def test_standing_and_sitting_in_one_row_are_told_apart_by_sway() -> None:
    one_row = rows(0.0, 1.0, 0.0)
    (calm, _), (swaying, _) = (
        play([(one_row, 4.0, True)], 0.002),
        play([(one_row, 4.0, True)], 0.03),
    )
    assert (calm.posture, swaying.posture) == ("sitting", "standing")


def test_posture_is_debounced_and_empty_is_immediate() -> None:
    classifier = PostureClassifier(GEOMETRY, DetectionSettings())
    assert classifier.update(0.0, HIPS_UP, True, 0.0) is None
    changed = [classifier.update(t / 10, HIPS_UP, True, 0.0) for t in range(1, 20)]
    assert [c.posture for c in changed if c] == ["lying"]
    gone = classifier.update(2.0, [0.0] * 6, occupied=False, sway_ratio=0.0)
    assert gone is not None and gone.posture == "empty" and gone.previous == "lying"


@pytest.mark.parametrize("columns_rows", [(2, 4), (3, 3), (1, 5)])
def test_any_grid_builds_templates_and_classifies(columns_rows: tuple[int, int]) -> None:
    from firmware.layout import MatLayout

    layout = MatLayout.grid(*columns_rows, 0.6, 1.6)
    classifier = PostureClassifier(build_geometry(layout), DetectionSettings())
    loads = [70.0 / len(layout.zones)] * len(layout.zones)
    for i in range(30):
        classifier.update(i / 10, loads, occupied=True, sway_ratio=0.0)
    assert classifier.posture in {"sitting", "standing", "lying"}


def test_a_body_between_the_coarse_placements_fits_the_fine_ones() -> None:
    import numpy as np

    from controller.core.bodymodel import build_templates, fine_lying_profiles
    from firmware.layout import MatLayout

    # curled on a side on a 2 x 4 mat (0.45 m rows), head 10 cm beyond: 53/47 % in two rows
    geometry = build_geometry(MatLayout.grid(2, 4, 0.6, 1.8))
    shares = np.array([0.533, 0.466, 0.001, 0.0])
    templates = build_templates(geometry)
    lying = templates.profiles[templates.class_slices[0]]
    coarse = float(np.abs(lying - shares).sum(axis=1).min())
    fine = float(np.abs(fine_lying_profiles(geometry) - shares).sum(axis=1).min())
    assert coarse > 0.06 and fine < 0.04


def test_a_body_between_the_pressure_styles_fits_the_fine_profiles() -> None:
    import numpy as np

    from controller.core.bodymodel import fine_lying_profiles

    # CURLED_SMALL's shares: every coarse style, placed every 1 cm, fits them by 0.04 or worse
    shares = np.array([0.44, 0.56, 0.0])
    fine = float(np.abs(fine_lying_profiles(GEOMETRY) - shares).sum(axis=1).min())
    assert fine < 0.01


@pytest.mark.parametrize(
    "shares",
    [
        (0.461, 0.399, 0.105, 0.035),  # supine
        (0.476, 0.378, 0.111, 0.036),  # hands on the chest
        (0.49, 0.368, 0.107, 0.034),  # prone
        (0.406, 0.435, 0.121, 0.038),  # on the left side
    ],
)
def test_a_small_body_with_the_head_beyond_the_end_fits_lying(
    shares: tuple[float, ...],
) -> None:
    import numpy as np

    from controller.core.bodymodel import build_templates
    from controller.core.posture import _AMBIGUOUS
    from controller.core.posturefit import TemplateFitter
    from firmware.layout import MatLayout

    # Lain back, still, in the detection sweep: a 1.52 m, 50 kg woman, the head 10 cm beyond
    # the head end of a 2 x 4 mat (0.45 m rows), the heels just past the last row border. The
    # lie-back was seen; lying must fit about as well as a long seat across a row border.
    fitter = TemplateFitter(build_templates(build_geometry(MatLayout.grid(2, 4, 0.6, 1.8))))
    fits = fitter.fits(np.array(shares))
    assert fits["lying"] <= fits["sitting"] + _AMBIGUOUS


def test_lying_not_reported_yet_is_not_kept_through_a_move() -> None:
    # Lain back for a moment (lying by the lie-back, not yet held for posture_s), then moving
    # back up to the seat: stillness lags a move, so that moment may be lying on the profile,
    # but a body that moves before its lying was reported is not kept lying (it may be getting
    # up: a session starting then would start as the person leaves).
    _, reported = play(
        [(SEAT, 3.0, True), (LYING, 2.5, False), (LYING, 1.0, True), (SEAT, 4.0, False)]
    )
    assert "lying" not in reported


def test_whole_at_the_first_frame_but_moving_first_is_no_restart() -> None:
    # Stepped on briskly (the whole weight in the visit's first frame), stood swaying, then sat
    # down across the row border with the legs stretched: the first pause comes seconds into
    # the visit, so this is an arrival, not a controller restarted under a body.
    classifier, t = PostureClassifier(GEOMETRY, DetectionSettings()), 0.0
    steps: list[Step] = [(FEET, 3.0, False), (LONG_SIT_BORDER, 2.0, False)]
    steps.append((LONG_SIT_BORDER, 8.0, True))
    last: Sequence[float] = FEET
    for loads, seconds, still in steps:
        n = round(seconds * 10)
        for i in range(n):
            now = [a + (i + 1) / n * (b - a) for a, b in zip(last, loads, strict=True)]
            classifier.update(t, now, occupied=True, sway_ratio=0.002, still=still)
            assert classifier.posture != "lying", t
            t += 0.1
        last = loads
    assert not classifier.lie_back.seen


def test_every_lying_shape_holds_the_whole_body() -> None:
    # The plain style (the first of each shape's styles) reads every segment as it weighs.
    from controller.core.bodymodel import LYING_STYLES, POSTURE_SHAPES

    styled = POSTURE_SHAPES["lying"]
    plain = [*styled[: 7 * len(LYING_STYLES) : len(LYING_STYLES)], styled[7 * len(LYING_STYLES)]]
    # supine, shorter trunk, knees up, prone, side, curled, bridge; Drillis & Contini's lengths
    assert len(styled) == 7 * len(LYING_STYLES) + 2
    for shape in plain:
        assert sum(m for _, _, m, _ in shape) == pytest.approx(100.0)


def whole_at_the_first_frame(loads: list[float], session_open: bool) -> PostureClassifier:
    classifier = PostureClassifier(GEOMETRY, DetectionSettings(), lambda: session_open)
    for i in range(50):
        classifier.update(i / 10, loads, occupied=True, sway_ratio=0.002, still=True)
    return classifier


def test_a_lying_body_whole_at_the_first_frame_under_an_open_session_is_lying() -> None:
    # No way there to see (the service restarted under the body), but a session was open (the
    # journal restored it): the first still stretch counts as the lie-back, so it keeps lying.
    classifier = whole_at_the_first_frame(LYING, session_open=True)
    assert classifier.lie_back.seen and classifier.posture == "lying"


def test_a_long_sitter_whole_at_the_first_frame_is_not_lying() -> None:
    # No session open: a seat across a row border fits lying as well, and nothing says it lay
    # back (docs/controller.md, 'What coarse tiles cannot tell'); no lie-back, sitting.
    classifier = whole_at_the_first_frame(LONG_SIT_BORDER, session_open=False)
    assert classifier.posture == "sitting" and not classifier.lie_back.seen
