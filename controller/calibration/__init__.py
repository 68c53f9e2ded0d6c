"""The calibration wizard: a pure step machine (``steps``, ``wizard``) and its terminal shell."""
