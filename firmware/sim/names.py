"""The scenario library's names, in its order, without building the library: pure, imports
nothing, so ``acumat check-config`` checks ``[source] scenario`` without numpy (issue 13).

``firmware.sim.scenarios.SCENARIOS`` holds each scenario's spec under the same name;
tests/contract/test_light_tables.py holds the two equal, so a scenario added there and not
here fails a test, not a mat.
"""

from __future__ import annotations

EVERY_SCENARIO = "all"
"""``[source] scenario = "all"``: every scenario in turn (controller.service.playlist)."""

SCENARIO_NAMES: tuple[str, ...] = (
    "relax_session",
    "heavy_tall",
    "light_short",
    "hips_lift",
    "short_absence",
    "long_absence",
    "shift_left",
    "shift_right",
    "natural_asymmetry",
    "zone_dropout",
    "sit_then_lie",
    "breathing_slow",
    "breathing_fast",
    "spikes",
    "relax_2x4",
    "short_absence_3x3",
    "shift_left_2x4",
    "lie_supine",
    "lie_knees_up",
    "lie_one_knee_up",
    "lie_hands_on_chest",
    "lie_prone",
    "lie_side_left",
    "lie_side_right",
    "lie_curled_left",
    "lie_curled_right",
    "lie_roll_30",
    "lie_roll_60",
    "lie_rolls",
    "breathing_artefacts",
    "sitting",
    "long_sitting",
    "standing",
    "one_foot",
    "feet",
    "cat_nap",
    "bag_left",
    "empty_drift_hour",
    "day",
    "long_sitting_border",
    "long_sitting_border_light",
    "cross_legged_border",
    "standing_border",
    "edge_sitting_head",
    "edge_sitting_foot",
    "edge_sitting_left",
    "edge_sitting_right",
    "dead_zone",
    "board_lost",
)
