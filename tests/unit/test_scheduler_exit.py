"""The Snakefile's onsuccess/onerror cancel the scheduler's rate-limit timer, and only it."""

import inspect
import threading

from impleval.schedulerexit import SCHEDULER_MODULE, release_scheduler_timers


def _timer(module: str) -> threading.Timer:
    def release():
        pass

    release.__module__ = module
    timer = threading.Timer(60, release)
    timer.start()
    return timer


def test_the_schedulers_timer_is_cancelled_and_others_are_left_alone():
    scheduler_timer = _timer(SCHEDULER_MODULE)
    other_timer = _timer("somebody.else")
    try:
        assert release_scheduler_timers() == 1
        scheduler_timer.join(timeout=5)
        assert not scheduler_timer.is_alive()
        assert other_timer.is_alive()
    finally:
        other_timer.cancel()
        scheduler_timer.cancel()


def test_snakemake_still_arms_its_timer_where_we_look_for_it():
    # If Snakemake moves or renames this, release_scheduler_timers silently does nothing: fail here.
    from snakemake.scheduling import job_scheduler

    assert job_scheduler.__name__ == SCHEDULER_MODULE
    source = inspect.getsource(job_scheduler.JobScheduler._schedule_reevalutation)
    assert "threading.Timer(" in source and "lambda" in source


def test_the_snakefile_calls_it_on_success_and_on_error():
    from pathlib import Path

    snakefile = (Path(__file__).parents[2] / "Snakefile").read_text(encoding="utf-8")
    for hook in ("onsuccess:", "onerror:"):
        body = snakefile.split(hook, 1)[1].split("\n\n", 1)[0]
        assert "release_scheduler_timers()" in body, hook
