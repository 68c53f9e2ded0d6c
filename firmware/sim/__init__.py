"""The body simulator: people, cats and bags on the mat as zone frames with ground truth.

``body`` holds the segment model and the zone-overlap arithmetic, ``posture`` the shapes of a
body in each posture, ``breathing`` and ``motion`` what moves, ``sensor`` what the load cells
add, ``timeline`` the builder that turns a story into samples, ``scenarios`` the named library
and ``source`` the real-time frame source. Everything is seeded and pure except ``source``,
which paces frames with the injected clock.
"""
