"""Evaluation of the controller against the simulator's ground truth (not part of the
installed product): scoring and the detection report.
"""
