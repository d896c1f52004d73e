"""Configuration mistakes are never silent (issue 16): every schema object refuses unknown keys,
and a YAML syntax error names the file, line and column (also through Snakemake)."""

from pathlib import Path

import pytest
import yaml

from impleval.config import load_yaml, main
from impleval.errors import InputError
from tests.conftest import REPO, copy_repo, run_snakemake

SCHEMAS = sorted((REPO / "config/schema").glob("*.schema.yaml"))


def _objects(node, where="#"):
    """Every sub-schema that describes an object with named properties."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{where}/{i}")


@pytest.mark.parametrize("schema", SCHEMAS, ids=[s.name for s in SCHEMAS])
def test_every_schema_object_refuses_unknown_keys(schema):
    data = yaml.safe_load(schema.read_text(encoding="utf-8"))
    open_objects = [
        where
        for where, node in _objects(data)
        if "properties" in node
        and node.get("additionalProperties", True) is not False
        and "/then" not in where  # if/then blocks only add `required` to the object above
        and "/if" not in where
    ]
    assert open_objects == [], f"{schema.name}: objects accepting unknown keys: {open_objects}"


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("a: 1\nb: [1, 2\n", 3, 1),
        ("a:\n  b: 1\n c: 2\n", 3, 2),
        ("a: 'x\nb: 2\n", 3, 1),
        ("a: 1\n\tb: 2\n", 2, 1),
    ],
)
def test_yaml_syntax_error_names_file_line_and_column(tmp_path, text, line, column):
    path = tmp_path / "study.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    message = str(err.value)
    assert "study.yaml; expected valid YAML" in message
    assert f"line {line}, column {column}" in message, message


def test_binary_yaml_file_is_a_clear_error(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert "config.yaml; expected a UTF-8 text file" in str(err.value)


def test_check_command_prints_where(tmp_path, capsys):
    path = tmp_path / "my-study.yaml"
    path.write_text("study_name: x\nmin_cell: [5\n", encoding="utf-8")
    assert main([str(path)]) == 1
    err = capsys.readouterr().err
    assert "my-study.yaml" in err and "line 3, column 1" in err and "line 2, column 11" in err
    good = tmp_path / "ok.yaml"
    good.write_text("a: 1\n", encoding="utf-8")
    assert main([str(good)]) == 0


def test_snakemake_names_file_line_and_column_of_a_broken_main_config(tmp_path):
    work = copy_repo(tmp_path / "repo")
    config = work / "config/config.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("min_cell:"))
    lines[n] = "min_cell: [5"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_snakemake(work, "-n", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "config.yaml; expected valid YAML" in out and f"line {n + 1}, column 11" in out, out


def test_shipped_main_config_has_no_unknown_keys():
    """The demo config is valid against the schema that refuses unknown keys."""
    from impleval.config import load_validated

    load_validated(REPO / "config/config.yaml", REPO / "config/schema/config.schema.yaml")
    assert Path(REPO / "config/schema/config.schema.yaml").is_file()
