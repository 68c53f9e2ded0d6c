"""What the once-a-second zone checks share (pure): where a drifting cell's steps end and a
knock's begin, and when a flagged zone has settled on the empty mat.

``zone_drift`` (a cell drifting by kg a minute) and ``zone_step`` (a knocked cell's step) meet
at ``STEP_KG``: more than that in one second is a landing or a knock, not a drift, and less
between two frames is no knock (a drift's, or noise). Both clear their fault the same way: once
the mat is empty and the zone has held within ``SETTLED_KG`` for ``SETTLED_S``, it is re-zeroed
where it reads.
"""

from __future__ import annotations

STEP_KG = 3.0  # in one step: drift's most (180 kg/min), a knock's least
SETTLED_S = 10.0  # a flagged zone on the empty mat held this long ...
SETTLED_KG = 0.3  # ... within this (under 2 kg/min): re-zeroed where it reads, the fault cleared
