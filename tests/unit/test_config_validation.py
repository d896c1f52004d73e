"""One validator for every study-definition file: typos are refused by name, YAML errors say where.

Every object in config/schema/*.schema.yaml has `additionalProperties: false`, so a misspelt key
(`names_fle`, `min_cel`) is an error naming the key, never a silently ignored setting.
"""

import pytest
import yaml

from impleval.config import load_validated
from impleval.errors import InputError
from tests.conftest import REPO, copy_repo, run_snakemake

SCHEMAS = REPO / "config/schema"
STUDY = REPO / "config/demo-study"
# (definition file, its schema, path of a mapping in the file, typo'd key to add there)
CASES = [
    (REPO / "config/config.yaml", "config", ["deid"], "names_fle"),
    (REPO / "config/config.yaml", "config", [], "min_cel"),
    (STUDY / "survey.yaml", "survey", ["cleaning"], "min_answer_time"),
    (STUDY / "survey-analysis.yaml", "survey-analysis", ["bootstrap"], "n_bot"),
    (STUDY / "interviews.yaml", "interviews", [], "unmaped_codes"),
    (STUDY / "interviews-analysis.yaml", "interviews-analysis", ["quotes"], "max_char"),
    (STUDY / "monitoring.yaml", "monitoring", ["analysis"], "hac_lag"),
]


@pytest.mark.parametrize(
    "definition, schema, where, typo",
    CASES,
    ids=[f"{c[1]}:{'/'.join(c[2]) or '-'}:{c[3]}" for c in CASES],
)
def test_typo_key_is_refused_by_name(tmp_path, definition, schema, where, typo):
    data = yaml.safe_load(definition.read_text(encoding="utf-8"))
    target = data
    for key in where:
        target = target.setdefault(key, {})
    target[typo] = 1
    path = tmp_path / definition.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_validated(path, SCHEMAS / f"{schema}.schema.yaml")
    message = str(err.value)
    assert typo in message and definition.name in message, message
    if where:
        assert f"'{'/'.join(where)}'" in message, message


@pytest.mark.parametrize("definition, schema", sorted({(c[0], c[1]) for c in CASES}))
def test_shipped_definitions_are_valid(definition, schema):
    load_validated(definition, SCHEMAS / f"{schema}.schema.yaml")


def test_defaults_are_filled(tmp_path):
    path = tmp_path / "survey-analysis.yaml"
    data = yaml.safe_load((STUDY / "survey-analysis.yaml").read_text(encoding="utf-8"))
    data.pop("categorical_items", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    settings = load_validated(path, SCHEMAS / "survey-analysis.schema.yaml")
    assert settings["categorical_items"] == []


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    path = tmp_path / "monitoring.yaml"
    path.write_text("outcomes:\n  waiting: [1, 2\nprimary_outcome: x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_validated(path, SCHEMAS / "monitoring.schema.yaml")
    message = str(err.value)
    assert "monitoring.yaml" in message and "line 3" in message and "column" in message, message


def test_snakemake_refuses_a_typo_in_the_main_config(tmp_path):
    work = copy_repo(tmp_path / "repo")
    config = yaml.safe_load((work / "config/config.yaml").read_text(encoding="utf-8"))
    config["deid"]["names_fle"] = "config/demo-study/names.txt"
    (work / "config/config.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
    )
    proc = run_snakemake(work, "-n", check=False)
    assert proc.returncode != 0
    assert "names_fle" in proc.stdout + proc.stderr
