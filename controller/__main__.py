"""``python -m controller`` is ``acumat``."""

import sys

from controller.cli import main

sys.exit(main())
