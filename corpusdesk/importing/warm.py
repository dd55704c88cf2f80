"""Imported by the import pipeline's fork server, so that worker processes start warm.

Importing this module loads what every worker needs before its first page: the extraction
libraries, the language model (half a second to load) and the signature library with its
permutations. The fork server loads them once; every worker it forks shares them, instead of
each paying for them on its first file. Nothing here may fail the fork server: any error just
leaves the work to the workers.
"""

from __future__ import annotations

import contextlib

_SAMPLE = (
    "The council met on Tuesday evening to discuss the library budget for the coming year, "
    "and residents spoke for and against the plan to extend the opening hours in winter."
)

with contextlib.suppress(Exception):  # the workers load whatever failed here on first use
    from corpusdesk.importing.content import detect_language
    from corpusdesk.importing.duplicates import minhash_signature

    detect_language(_SAMPLE, None)
    minhash_signature(_SAMPLE)
