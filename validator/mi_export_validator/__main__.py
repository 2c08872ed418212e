import sys

from mi_export_validator.cli import main

sys.exit(main())
