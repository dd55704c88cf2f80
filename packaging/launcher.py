"""The packaged app's entry point: the same ``main`` as ``python -m corpusdesk``.

Kept outside the package so that PyInstaller runs it as ``__main__`` while ``corpusdesk``
stays an ordinary package in the bundle.
"""

import sys

from corpusdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
