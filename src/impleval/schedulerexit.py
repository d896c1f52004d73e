"""Let a finished Snakemake run exit at once (called from the Snakefile's onsuccess/onerror).

After each round of job submissions Snakemake's scheduler arms a one-second `threading.Timer`
for its job-rate limit (`--max-jobs-per-timespan`, default 100/1s;
`snakemake/scheduling/job_scheduler.py`, `JobScheduler._schedule_reevalutation`). Such a timer
is not a daemon thread, so Python waits for it at exit: every run that ran a job ended about a
second after its last job (py-spy of a cold build: 1.09 s in `threading._shutdown`; a prose-only
rerun ended 1.1 s after its render job, 5.4 s in all, and 4.2–4.4 s with the timer cancelled).
Once the run is over nothing waits for the semaphore the timer would release, so cancelling it
loses nothing. Snakemake has no setting for this (a sub-second timespan such as `100/100ms`
parses as 100 *minutes*: its pattern matches `m` before `ms`), so it is done here; no Snakemake
import, and only the scheduler's own timers are touched.
"""

from __future__ import annotations

import threading

SCHEDULER_MODULE = "snakemake.scheduling.job_scheduler"


def release_scheduler_timers() -> int:
    """Cancel the pending rate-limit timers of Snakemake's scheduler; return how many."""
    cancelled = 0
    for thread in threading.enumerate():
        function = getattr(thread, "function", None)
        if (
            isinstance(thread, threading.Timer)
            and getattr(function, "__module__", None) == SCHEDULER_MODULE
        ):
            thread.cancel()
            cancelled += 1
    return cancelled
