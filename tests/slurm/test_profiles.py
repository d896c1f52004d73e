"""Static checks (fast, no Slurm needed) of the workflow profiles and the test cluster config.

Every rule the Slurm profile names exists, and every rule that does work is in a group, so a new
or renamed rule cannot silently become its own Slurm job (7-8 s of overhead each) or leave a
stale setting behind."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO

PROFILES = REPO / "profiles"
LOCAL_ONLY = {"all"}  # rules without an action never reach Slurm


def _rules() -> set[str]:
    files = [REPO / "Snakefile", *(REPO / "workflow/rules").glob("*.smk")]
    text = "\n".join(p.read_text() for p in files)
    return set(re.findall(r"^rule (\w+):", text, flags=re.MULTILINE))


def _profile(name: str) -> dict:
    return yaml.safe_load((PROFILES / name / "config.yaml").read_text())


def test_slurm_profile_names_only_existing_rules():
    profile, rules = _profile("slurm"), _rules()
    named = (
        set(profile["groups"])
        | set(profile.get("set-resources", {}))
        | set(profile.get("set-threads", {}) or {})
    )
    assert named <= rules, f"the Slurm profile names unknown rules: {sorted(named - rules)}"


def test_every_working_rule_is_grouped_on_slurm():
    ungrouped = _rules() - LOCAL_ONLY - set(_profile("slurm")["groups"])
    assert not ungrouped, (
        f"add {sorted(ungrouped)} to `groups:` in profiles/slurm/"
        "config.yaml (one Slurm job per rule is mostly overhead)"
    )


def test_slurm_profile_uses_the_executor_plugin_without_a_home_made_launcher():
    profile = _profile("slurm")
    assert profile["executor"] == "slurm"
    assert not {"cluster-generic-submit-cmd", "cluster"} & set(profile)
    # squeue status needs finished jobs kept longer than three status intervals (plugin rule).
    assert 3 * profile["slurm-init-seconds-before-status-checks"] <= 300


def test_default_profile_runs_locally():
    profile = _profile("default")
    assert "executor" not in profile and profile["cores"]


def test_test_cluster_config_matches_this_machine(tmp_path):
    from tests.slurm.daemons import MARKER, machine_resources, render_conf

    cpus, memory_mb = machine_resources()
    text = render_conf(tmp_path, cpus=cpus, memory_mb=memory_mb)
    assert MARKER in text and "${" not in text
    node = next(line for line in text.splitlines() if line.startswith("NodeName="))
    assert f"CPUs={cpus} " in node and f"RealMemory={memory_mb} " in node
    assert 0 < memory_mb and cpus >= 1
