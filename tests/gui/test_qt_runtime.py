"""The Qt binding itself: faults in it would end long sessions, whatever the app does."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    happened = Signal(int)
    toggled = Signal(bool)


def test_emitting_signals_keeps_reference_counts() -> None:
    """PySide6 6.12.0 lost a reference to True on every emit: a long session then aborted."""
    emitter = _Emitter()
    received: list[object] = []
    emitter.happened.connect(received.append)
    emitter.toggled.connect(received.append)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for value in range(500):
        emitter.happened.emit(value)
        emitter.toggled.emit(value % 2 == 0)
        emitter.blockSignals(False)  # a void call
    received.clear()
    assert sys.getrefcount(True) >= before_true
    assert sys.getrefcount(None) >= before_none
