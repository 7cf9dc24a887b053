"""A web worker stopped while it loads the app exits at once.

granian forks its workers from the main process, whose SIGTERM handler only flags the
server; the worker sets its own handlers after the app is loaded.  A SIGTERM that came in
between (the server stopped right after its first worker answered, as the tests do) was
lost: the worker served on until the main process killed it 10 s later.  Each case runs in
a forked process set up as granian sets up a worker, with the signal at one moment.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable

import pytest
from entente.server import serve

from entente.config import Settings

#: the exit code of a worker that went on after the loader (it would have served)
SERVED_ON = 3


def _as_granian_worker(signal_at: Callable[[], None]) -> None:
    """A forked granian worker: the main process's handlers, ``signal_at`` (it signals
    this process), then the loader; a worker that is still there after it "serves"."""
    from granian._signals import set_main_signals

    settings = Settings()
    server = serve._granian(settings)
    serve._SERVER = server
    set_main_signals(server.signal_handler_interrupt)  # what the worker inherits
    signal_at()
    serve._load_app(settings, os.getppid(), "entente.server.app:create_app")
    os._exit(SERVED_ON)


def _signal_before_the_loader() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


def _signal_while_the_app_loads() -> None:
    from entente.server import app

    def create_app(_settings: Settings) -> Callable:
        os.kill(os.getpid(), signal.SIGTERM)
        return lambda environ, start: []

    app.create_app = create_app  # (this process only)


@pytest.mark.parametrize("signal_at", [_signal_before_the_loader, _signal_while_the_app_loads],
                         ids=["before-the-loader", "while-the-app-loads"])
def test_a_worker_signalled_before_granians_handlers_exits(
        signal_at: Callable[[], None]) -> None:
    worker = multiprocessing.get_context("fork").Process(target=_as_granian_worker,
                                                         args=(signal_at,))
    worker.start()
    worker.join(timeout=60)  # (a hang guard, not a timing: the worker exits or serves on)
    assert worker.exitcode == 0
