"""The `slurm_cluster` fixture: one single-node Slurm for the whole test session."""

from __future__ import annotations

import atexit
import os
import signal

import pytest

from tests.slurm.daemons import SLURM_CONF, SlurmCluster, missing_binaries


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory) -> SlurmCluster:
    missing = missing_binaries()
    if missing:
        pytest.skip(
            f"Slurm not installed (missing {', '.join(missing)}): run scripts/ci/install_slurm.sh"
        )
    if os.geteuid() != 0:
        pytest.skip(f"starting slurmctld/slurmd and writing {SLURM_CONF} needs root")

    cluster = SlurmCluster(tmp_path_factory.mktemp("slurm_state"))
    # If CI or a timeout sends SIGTERM, stop our daemons on the way out instead of orphaning them.
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        cluster.stop()
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_term)
    atexit.register(cluster.stop)
    try:
        try:
            cluster.start()
        except Exception as exc:
            pytest.fail(f"single-node Slurm did not start: {exc}\n{cluster.daemon_logs()}")
        yield cluster
    finally:
        cluster.stop()
        signal.signal(signal.SIGTERM, previous)
