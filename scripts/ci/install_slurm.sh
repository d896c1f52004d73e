#!/usr/bin/env bash
# Install a single-node Slurm (controller, node daemon, client tools) and munge for the `slurm`
# tests (tests/slurm/). The tests start and stop the daemons themselves; this only installs.
# Idempotent: does nothing when the binaries are already there. Needs root (apt-get).
set -euo pipefail

if command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
    && command -v sbatch >/dev/null && command -v munged >/dev/null; then
    echo "slurm already installed: $(slurmctld -V)"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for a concurrent apt run instead of failing on the dpkg lock; refresh the package lists
# only when they do not know slurmctld yet (.ci/run has usually just updated them).
apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }
if ! apt-cache show slurmctld >/dev/null 2>&1; then
    apt_get update -qq
fi
apt_get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
# Without systemd the packages' services do not start; the tests start and stop their own daemons.
echo "installed: $(slurmctld -V), munge $(munged --version 2>&1 | head -n1)"
