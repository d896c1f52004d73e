"""Run one function in a forked child process beside the caller, where the platform forks.

A Snakemake job pays seconds importing the statistics stack before any work (about the time of
the survey's non-model statistics on a demo-sized study), so a second job for part of an analysis
does not pay for itself. A forked child shares the parent's imported modules and data (copy on
write): it starts in milliseconds, receives no arguments through a pipe, and sends back only its
result. Where ``fork`` is not the safe default (macOS, Windows) or not wanted, the function runs in
line when its result is asked for: the same result, one core.

Written here because the standard library's pools pickle every argument to their workers (the
respondent frame, at 1000× the demo, is hundreds of MB); ``multiprocessing.Process`` with the fork
context inherits them instead.
"""

from __future__ import annotations

import multiprocessing
import pickle
import sys
import traceback
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """True on Linux, where ``fork`` is the default start method and safe for numpy code."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _child(send, fn: Callable, args: tuple, kwargs: dict) -> None:
    try:
        message = ("ok", fn(*args, **kwargs))
    except BaseException as err:  # noqa: BLE001 (every failure goes back to the parent)
        try:
            message = ("error", pickle.dumps(err), str(err), traceback.format_exc())
        except Exception:  # an exception that does not pickle: its text goes back
            message = ("error", None, str(err), traceback.format_exc())
    send.send(message)
    send.close()


class Background:
    """A call of `fn(*args, **kwargs)` running beside the caller; :meth:`result` waits for it.

    Parameters
    ----------
    fn : callable
        The function (its result must pickle).
    *args, **kwargs
        Its arguments, inherited by the child, never pickled.
    parallel : bool
        False (or a platform without fork) runs `fn` in line when :meth:`result` is called.
    """

    def __init__(self, fn: Callable, *args: Any, parallel: bool = True, **kwargs: Any) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.process = None
        if parallel and can_fork():
            ctx = multiprocessing.get_context("fork")
            self.receive, send = ctx.Pipe(duplex=False)
            self.process = ctx.Process(target=_child, args=(send, fn, args, kwargs), daemon=True)
            self.process.start()
            send.close()  # the child holds the sending end: EOF here if it dies

    def result(self) -> Any:
        """The function's result; its exception re-raised (a RuntimeError with the child's
        traceback when the exception does not travel intact, or when the child died)."""
        if self.process is None:
            return self.fn(*self.args, **self.kwargs)
        try:
            message = self.receive.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(
                f"{self.fn.__name__} stopped without a result (exit code {self.process.exitcode})"
            ) from None
        finally:
            self.receive.close()
        self.process.join()
        if message[0] == "ok":
            return message[1]
        _, blob, text, trace = message
        try:
            err = pickle.loads(blob) if blob is not None else None
        except Exception:
            err = None
        if err is not None and str(err) == text:  # the same exception, as the caller would see it
            raise err
        raise RuntimeError(f"{self.fn.__name__} failed in its child process:\n{trace}")
