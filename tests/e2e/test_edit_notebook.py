"""`snakemake --edit-notebook` (README "Notebooks") on a copy of the built demo study, headless:
the server serves the notebook with the pipeline's inputs injected, a save through the Jupyter
contents API reaches notebooks/ and the next run re-executes it; an aborted session (Ctrl-C) or a
crashed server leaves the previous figure and executed notebook in place."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import BIN, pipeline_env, run_snakemake
from tests.workflow_helpers import dry_run_jobs, have_make, make

pytestmark = pytest.mark.e2e

TARGET = "results/notebooks/survey_not_relevant_by_role.png"
NOTEBOOK = "notebooks/survey_exploration.py.ipynb"
PREVIOUS = [TARGET, "results/notebooks/survey_exploration.py.ipynb"]
EDIT = 'print("saved through the Jupyter contents API")'
STARTUP = 120  # seconds for Snakemake to build the DAG and Jupyter to listen (a loaded 2-core box)


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """`snakemake --edit-notebook TARGET` in its own process group, and its Jupyter server."""

    def __init__(self, work: Path, tmp: Path):
        self.work, self.port, self.token = work, _free_port(), secrets.token_hex(16)
        config = tmp / "jupyter-config"  # the test's own Jupyter settings (not ~/.jupyter)
        config.mkdir()
        # Jupyter refuses root (a CI container) unless told; a normal user needs nothing here.
        (config / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"allow_root": True}})
        )
        env = pipeline_env(
            JUPYTER_CONFIG_DIR=str(config),
            JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
            JUPYTER_TOKEN=self.token,
        )
        self.log = tmp / "session.log"
        # A terminal, as a user has: Jupyter then handles Ctrl-C itself and asks to confirm.
        # Without one it falls back to KeyboardInterrupt, after which an idle AnyIO worker thread
        # (left by the contents API) can keep its process alive for good (seen in CI runs).
        self.terminal, terminal = pty.openpty()
        self.proc = subprocess.Popen(
            [
                str(BIN / "snakemake"),
                "--cores",
                "1",
                "--edit-notebook",
                TARGET,
                "--notebook-listen",
                f"127.0.0.1:{self.port}",
            ],
            cwd=work,
            env=env,
            stdin=terminal,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.close(terminal)

    def request(self, path: str, method: str = "GET", body: dict | None = None) -> bytes:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            assert resp.status in (200, 201, 202, 204), (path, resp.status)
            return resp.read()

    def wait_until_serving(self) -> str:
        """The name of the notebook the server offers (Snakemake's copy with the preamble)."""
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-4000:]
            try:
                listing = json.loads(self.request("/api/contents"))["content"]
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
                continue
            names = [item["name"] for item in listing if item["name"].endswith(".ipynb")]
            assert len(names) == 1, listing
            return names[0]
        log = self.log.read_text()[-4000:]
        raise AssertionError(f"no Jupyter server after {STARTUP} s:\n{log}")

    def server(self) -> psutil.Process:
        kids = psutil.Process(self.proc.pid).children(recursive=True)
        return next(p for p in kids if "jupyter-notebook" in " ".join(p.cmdline()))

    def interrupt(self) -> None:
        """Ctrl-C in the terminal, then "y" to Jupyter's "Shutdown this Jupyter server (y/[n])?"
        (typed until the session ends: Jupyter reads it once it asks)."""
        os.killpg(self.proc.pid, signal.SIGINT)
        deadline = time.monotonic() + 60
        while self.proc.poll() is None and time.monotonic() < deadline:
            os.write(self.terminal, b"y\n")
            try:
                self.proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass

    def wait(self) -> int:
        try:
            return self.proc.wait(timeout=120)
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.terminal is not None:
            os.close(self.terminal)
            self.terminal = None


@pytest.fixture
def work(demo_run, tmp_path) -> Path:
    work = tmp_path / "repo"
    shutil.copytree(demo_run, work, symlinks=True)
    return work


@pytest.fixture
def session(work, tmp_path):
    session = Session(work, tmp_path)
    yield session
    session.close()


def test_the_server_serves_the_notebook_and_a_saved_edit_reruns(work, session):
    name = session.wait_until_serving()
    assert b"<html" in session.request(f"/notebooks/{name}").lower()  # the editor page
    served = json.loads(session.request(f"/api/contents/{name}"))["content"]
    assert "snakemake-job-properties" in served["cells"][0]["metadata"]["tags"]
    original = json.loads((work / NOTEBOOK).read_text(encoding="utf-8"))
    assert [c["source"] for c in served["cells"][1:]] == [
        "".join(c["source"]) for c in original["cells"]
    ]

    cell = next(c for c in served["cells"][1:] if c["cell_type"] == "code")
    cell["source"] += "\n" + EDIT
    session.request(
        f"/api/contents/{name}", "PUT", {"type": "notebook", "format": "json", "content": served}
    )
    session.request("/api/shutdown", "POST")  # File → Shut Down
    assert session.wait() == 0, session.log.read_text()[-4000:]

    saved = json.loads((work / NOTEBOOK).read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in saved["cells"]]
    assert any(s.endswith(EDIT) for s in sources)
    assert not any(
        "snakemake-job-properties" in c["metadata"].get("tags", []) for c in saved["cells"]
    ), "the injected cell was saved into notebooks/"
    assert dry_run_jobs(run_snakemake(work, "-n")) == {
        "explore_survey",
        "write_provenance",
        "render_report",
        "all",
    }
    if have_make():  # README: `make notebooks` brings the .py along
        make(work, "notebooks")
        assert EDIT in (work / "notebooks/survey_exploration.py").read_text(encoding="utf-8")


def _assert_previous_outputs_kept(work: Path, before: dict) -> None:
    assert {p: _digest(work / p) for p in PREVIOUS} == before
    empty = [p.name for p in (work / "results/notebooks").iterdir() if p.stat().st_size == 0]
    assert not empty, f"0-byte files left: {empty}"


def test_an_aborted_session_keeps_the_previous_outputs(work, session):
    before = {p: _digest(work / p) for p in PREVIOUS}
    notebook = _digest(work / NOTEBOOK)
    session.wait_until_serving()
    session.interrupt()
    assert session.wait() != 0
    _assert_previous_outputs_kept(work, before)
    assert _digest(work / NOTEBOOK) == notebook


def test_a_crashed_server_keeps_the_previous_outputs(work, session):
    before = {p: _digest(work / p) for p in PREVIOUS}
    session.wait_until_serving()
    session.server().kill()
    assert session.wait() != 0
    log = session.log.read_text()
    assert "Restored previous version" in log, log[-4000:]
    _assert_previous_outputs_kept(work, before)
    assert "explore_survey" not in dry_run_jobs(run_snakemake(work, "-n"))
