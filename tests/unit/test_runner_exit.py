"""A finished script job ends its process without the interpreter's teardown (runner.end_process),
with its log and output streams flushed; a failed job, and a test calling `run`, do not."""

import subprocess
import sys
import textwrap

from impleval.runner import is_script_job

JOB = textwrap.dedent(
    """
    import atexit, logging, sys
    from types import SimpleNamespace
    from impleval.runner import run

    snakemake = SimpleNamespace(log=[sys.argv[1]], input={}, rule="demo_job")

    def step(smk):
        atexit.register(lambda: print("teardown ran", flush=True))
        logging.getLogger("impleval").info("step done")
        print("stdout line")  # buffered: stdout is a pipe
        if sys.argv[2] == "fail":
            raise RuntimeError("boom")

    run(snakemake, step)
    print("after run")
    """
)


def _job(tmp_path, outcome):
    script = tmp_path / "job.py"
    script.write_text(JOB, encoding="utf-8")
    log = tmp_path / "job.log"
    proc = subprocess.run(
        [sys.executable, str(script), str(log), outcome],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc, log.read_text(encoding="utf-8")


def test_a_finished_job_ends_at_once_with_everything_flushed(tmp_path):
    proc, log = _job(tmp_path, "ok")
    assert proc.returncode == 0, proc.stderr
    assert "step done" in log and "step done" in proc.stderr
    assert "stdout line" in proc.stdout
    assert "teardown ran" not in proc.stdout and "after run" not in proc.stdout


def test_a_failed_job_exits_1_through_the_ordinary_teardown(tmp_path):
    proc, log = _job(tmp_path, "fail")
    assert proc.returncode == 1
    assert "unexpected error" in log and "boom" in log
    assert "teardown ran" in proc.stdout


def test_run_called_in_a_test_process_is_not_a_script_job():
    assert not is_script_job(object())
