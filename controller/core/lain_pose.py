"""The pose a body last lay in during this visit, to know it again (pure).

Posture leaves ``lying`` when the load's shape stops fitting it: a child or a dog climbing
onto the feet of someone lying, the knees drawn up for a while. When that load goes again the
person is lying as before, but no lie-back is seen (the load left, nothing moved head-wards),
and on coarse tiles shape alone rarely says lying (``posture._CLEAR``). So the pose is kept
while the body lies still, and a still body that comes back to it, at the same total, without
having left the mat, is lying again.

Sitting up is never mistaken for it: the trunk's half of the body leaves the head-end rows
for the seat, 0.3 or more of the load (L1 0.6 and more over the zones).
"""

from __future__ import annotations

from operator import sub

# A lying body moves this much of its load between zones without getting up: an arm (~5 % of
# the body) laid across a border moves 0.05 out of one zone and into another (L1 0.10).
_SAME_POSE_L1 = 0.10
# The same body: its total within 10 % (an arm or a foot off the mat edge, the zero's drift).
_SAME_TOTAL = 0.10


class LainPose:
    """The zone shares and total of the last still stretch reported lying in this visit."""

    __slots__ = ("_kept_kg", "_total_kg")

    def __init__(self) -> None:
        self._kept_kg: tuple[float, ...] | None = None
        self._total_kg = 0.0

    def keep(self, positive_kg: list[float]) -> None:
        """The body lies still in this pose (loads read ≥ 0). Called every posture evaluation
        while lying: a copy of the loads and their total only; shares when asked."""
        total_kg = sum(positive_kg)
        if total_kg > 0.0:
            self._kept_kg, self._total_kg = tuple(positive_kg), total_kg

    def forget(self) -> None:
        """The visit ended: the next body is someone else's."""
        self._kept_kg = None

    def back_in(self, positive_kg: list[float]) -> bool:
        """Is this load (read ≥ 0) the kept pose again: the same total, the same shares within
        an arm's?"""
        kept, kept_total, total_kg = self._kept_kg, self._total_kg, sum(positive_kg)
        if kept is None or abs(total_kg - kept_total) > _SAME_TOTAL * kept_total:
            return False
        now = [kg / total_kg for kg in positive_kg]
        then = [kg / kept_total for kg in kept]
        moved: float = sum(map(abs, map(sub, now, then)))
        return moved <= _SAME_POSE_L1
