"""Other ways to read the boards: the Linux IIO driver and the Adafruit package."""
