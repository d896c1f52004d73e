"""Start and stop a single-node Slurm (munged, slurmctld, slurmd) for the `slurm` tests.

The executor plugin's job step clears SLURM_* variables before its inner `srun`, so SLURM_CONF
cannot point elsewhere: the config is written to /etc/slurm/slurm.conf (a pre-existing file is
kept aside and put back). Daemons run in the foreground as our children and are stopped by the
PIDs we started, never by name.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

SLURM_CONF = Path("/etc/slurm/slurm.conf")
TEMPLATE = Path(__file__).with_name("slurm.conf.in")
MARKER = "impleval-test-cluster"
PARTITION = "impleval"
BINARIES = (
    "munged",
    "mungekey",
    "slurmctld",
    "slurmd",
    "sbatch",
    "srun",
    "squeue",
    "sinfo",
    "scancel",
    "scontrol",
)


# Daemons live in /usr/sbin, which a non-login PATH may lack.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def which(name: str) -> str | None:
    return shutil.which(name, path=SEARCH_PATH)


def missing_binaries() -> list[str]:
    return [name for name in BINARIES if which(name) is None]


def machine_resources() -> tuple[int, int]:
    """CPUs usable by this process and memory (MB) to offer: 90 % of MemTotal, so slurmd's own
    check (configured RealMemory must not exceed the real one) never drains the node."""
    cpus = len(os.sched_getaffinity(0))
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        total_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return cpus, int(total_kb / 1024 * 0.9)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_conf(state: Path, *, cpus: int, memory_mb: int, partition: str = PARTITION) -> str:
    """slurm.conf for one node named after this host, daemons' files under `state`."""
    return Template(TEMPLATE.read_text()).substitute(
        host=socket.gethostname().split(".")[0],
        state=state,
        cpus=cpus,
        memory_mb=memory_mb,
        partition=partition,
        ctld_port=free_port(),
        d_port=free_port(),
    )


@dataclass
class SlurmCluster:
    state: Path
    partition: str = PARTITION
    cpus: int = 0
    memory_mb: int = 0
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    _saved_conf: Path | None = None
    _stopped: bool = False

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, timeout: float = 60) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        self.state.chmod(0o700)  # munged refuses world-accessible key/socket directories
        for sub in ("ctld", "spool"):
            (self.state / sub).mkdir(exist_ok=True)
        self._write_conf()
        key = self.state / "munge.key"
        subprocess.run([which("mungekey"), "--create", "--force", f"--keyfile={key}"], check=True)
        self._spawn(
            "munged",
            [
                which("munged"),
                "--foreground",
                "--force",
                f"--socket={self.state}/munge.socket",
                f"--key-file={key}",
                f"--pid-file={self.state}/munged.pid",
                f"--log-file={self.state}/munged.log",
                f"--seed-file={self.state}/munged.seed",
            ],
        )
        self._wait((self.state / "munge.socket").exists, timeout, "munged socket")
        # -i: ignore state left by an earlier run; -D: foreground, so the PID is ours.
        self._spawn("slurmctld", [which("slurmctld"), "-D", "-i"])
        self._wait(lambda: self._ok(["scontrol", "ping"], "UP"), timeout, "slurmctld up")
        self._spawn("slurmd", [which("slurmd"), "-D"])
        self._wait(self._node_idle, timeout, "node idle")

    def stop(self, grace: float = 15) -> None:
        """Cancel our jobs, then stop exactly the daemons started here (slurmd first).

        Every step runs even if an earlier one fails, so no daemon outlives the test.
        Safe to call twice (teardown and the atexit/signal fallback)."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if "slurmctld" in self.procs and self.procs["slurmctld"].poll() is None:
                subprocess.run(
                    ["scancel", "--full", f"--partition={self.partition}"],
                    capture_output=True,
                    timeout=30,
                    check=False,
                )
        except Exception:  # noqa: BLE001 (best effort; the daemons are stopped below anyway)
            pass
        finally:
            try:
                for name in ("slurmd", "slurmctld", "munged"):
                    self._terminate(name, grace)
            finally:
                self._restore_conf()

    def _terminate(self, name: str, grace: float) -> None:
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)

    def __enter__(self) -> SlurmCluster:
        try:
            self.start()
        except BaseException:
            print(self.daemon_logs())
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- diagnostics -----------------------------------------------------------------------
    def daemon_logs(self, tail: int = 40) -> str:
        parts = []
        for name in ("munged", "slurmctld", "slurmd"):
            for suffix in (".log", ".out"):
                path = self.state / f"{name}{suffix}"
                if path.exists():
                    lines = path.read_text(errors="replace").splitlines()[-tail:]
                    parts.append(f"--- {path} (last {tail} lines) ---\n" + "\n".join(lines))
        return "\n".join(parts)

    # -- internals -------------------------------------------------------------------------
    def _write_conf(self) -> None:
        if not self.cpus or not self.memory_mb:
            self.cpus, self.memory_mb = machine_resources()
        text = render_conf(
            self.state, cpus=self.cpus, memory_mb=self.memory_mb, partition=self.partition
        )
        SLURM_CONF.parent.mkdir(parents=True, exist_ok=True)
        if SLURM_CONF.exists() and MARKER not in SLURM_CONF.read_text(errors="replace"):
            self._saved_conf = self.state / "slurm.conf.saved"
            shutil.copy2(SLURM_CONF, self._saved_conf)
        tmp = SLURM_CONF.with_suffix(".conf.tmp")
        tmp.write_text(text)
        tmp.replace(SLURM_CONF)

    def _restore_conf(self) -> None:
        if self._saved_conf is not None and self._saved_conf.exists():
            shutil.copy2(self._saved_conf, SLURM_CONF)
        elif SLURM_CONF.exists() and MARKER in SLURM_CONF.read_text(errors="replace"):
            SLURM_CONF.unlink()

    def _spawn(self, name: str, cmd: list[str]) -> None:
        out = open(self.state / f"{name}.out", "w")  # noqa: SIM115 (kept open for the daemon)
        self.procs[name] = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = [n for n, p in self.procs.items() if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{', '.join(dead)} exited while waiting for {what}")
            if ready():
                return
            time.sleep(0.5)
        raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")

    @staticmethod
    def _ok(cmd: list[str], expect: str) -> bool:
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
        except subprocess.TimeoutExpired:
            return False
        return proc.returncode == 0 and expect in proc.stdout

    def _node_idle(self) -> bool:
        try:
            proc = subprocess.run(
                ["sinfo", "-h", "-N", "-o", "%T"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False
        return proc.stdout.strip() == "idle"
