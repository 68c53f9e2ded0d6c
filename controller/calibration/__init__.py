"""The calibration wizard: a pure step machine (``steps``, ``wizard``, ``judge``) and its shell."""
