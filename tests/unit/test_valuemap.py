"""Value maps: exported values → ids (impleval.valuemap), as the importers use them."""

from __future__ import annotations

import pytest

from impleval.errors import InputError, ProblemCollector
from impleval.valuemap import ValueMap, normal_form

REGIONS = {
    "hso": ["Helse Sør-Øst", "South-Eastern Norway RHA"],
    "nord": ["Helse Nord", "Northern Norway RHA"],
}


def test_normal_form_ignores_case_spacing_and_unicode_form():
    decomposed = "Helse  S\u006f\u0308r-\u00d8st\u00a0"  # o + combining diaeresis, NBSP
    assert normal_form(decomposed) == normal_form("helse sör-øst")
    assert normal_form("Helse\nNord") == "helse nord"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hso", "hso"),
        ("HSO ", "hso"),
        ("Helse Sør-Øst", "hso"),
        ("helse  sør-øst", "hso"),
        ("Northern Norway RHA", "nord"),
        ("Helse Vest", None),
        ("", None),
    ],
)
def test_ids_and_labels_resolve(value, expected):
    assert ValueMap.build("region", REGIONS).resolve(value) == expected


def test_labels_are_not_matched_when_switched_off():
    vm = ValueMap.build("region", REGIONS, match_labels=False)
    assert vm.resolve("Helse Nord") is None
    assert vm.resolve("nord") == "nord"


def test_explicit_map_wins_and_settles_ambiguity():
    # "Nord" is one role's label and another role's id: ambiguous until the study maps it.
    roles = {"north": ["Nord"], "nord": ["Nordic desk"]}
    vm = ValueMap.build("role", roles, config_file="interviews.yaml", config_key="value_maps/role")
    assert vm.resolve("nord") is None
    problems = ProblemCollector()
    vm.check("NORD", problems, "vars.xlsx", 4, "Rolle")
    (p,) = problems.problems
    assert (p.file, p.row, p.column, p.value) == ("vars.xlsx", 4, "Rolle", "NORD")
    assert "matches 'nord' and 'north'" in p.expected
    assert "`value_maps/role` in interviews.yaml" in p.expected
    settled = ValueMap.build("role", roles, {"Nord": "north"})
    assert settled.resolve("nord") == "north"
    assert settled.resolve("Nordic desk") == "nord"


def test_unknown_value_lists_ids_with_a_label():
    problems = ProblemCollector()
    assert ValueMap.build("region", REGIONS).check("Vest", problems, "f.xlsx", 2, "Region") is None
    assert "a region id or label, one of: hso (Helse Sør-Øst), nord (Helse Nord)" in str(
        problems.problems[0]
    )


def test_explicit_map_to_an_unknown_id_is_a_config_error():
    with pytest.raises(InputError) as err:
        ValueMap.build(
            "region",
            REGIONS,
            {"Sør": "south", "Nord-Norge": "nord"},
            config_file="config/x/interviews.yaml",
            config_key="value_maps/region",
        )
    (p,) = err.value.problems
    assert (p.file, p.column, p.value) == (
        "config/x/interviews.yaml",
        "value_maps/region/Sør",
        "south",
    )


def test_explicit_map_with_two_spellings_of_one_value_to_two_ids_is_refused():
    with pytest.raises(InputError, match="one id per exported value"):
        ValueMap.build("region", REGIONS, {"Sør": "hso", " sør": "nord"})
