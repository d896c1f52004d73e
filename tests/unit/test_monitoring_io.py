"""Monitoring importers: formats accepted, and every bad input named with file/row/column/value."""

from pathlib import Path

import pandas as pd
import pytest

from impleval.config import load_yaml
from impleval.errors import InputError
from impleval.monitoring.io.aggregates import read_aggregates
from impleval.monitoring.io.cells import value_maps
from impleval.monitoring.io.milestones import read_milestones
from impleval.monitoring.io.prepare import prepare
from impleval.monitoring.settings import load_definition

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "monitoring"
BAD = ROOT / "tests" / "bad_inputs" / "monitoring"
SCHEMA = ROOT / "config" / "schema" / "monitoring.schema.yaml"
DEFINITION = load_definition(ROOT / "config" / "demo-study" / "monitoring.yaml", SCHEMA)
ORGANISATION = load_yaml(ROOT / "config" / "demo-study" / "organisation.yaml")
MAPS = value_maps(DEFINITION, ORGANISATION)


def read(path, definition=DEFINITION):
    return read_aggregates(path, definition, MAPS["site"])


def read_ms(path, definition=DEFINITION):
    return read_milestones(path, definition, MAPS["site"], MAPS["milestone"])


def message(path, reader=read):
    with pytest.raises(InputError) as err:
        reader(path)
    return str(err.value)


def test_iso_comma_and_norwegian_semicolon_give_the_same_table():
    a, b = read(FIX / "weekly_iso_comma.csv"), read(FIX / "weekly_norwegian.csv")
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == [
        "site",
        "period_start",
        "frequency",
        "median_wait_minutes",
        "n_examinations",
    ]
    assert a.loc[a["site"] == "baerum", "median_wait_minutes"].tolist() == [70.5, 71.0]
    assert (a["frequency"] == "weekly").all()


def test_monthly_excel_serial_dates_and_xlsx_with_title_rows():
    csv = read(FIX / "monthly_excel_serial.csv")
    assert csv["period_start"].dt.strftime("%Y-%m-%d").tolist() == ["2023-01-01", "2023-02-01"]
    assert (csv["frequency"] == "monthly").all()
    xlsx = read(FIX / "monthly_title_rows.xlsx")
    assert len(xlsx) == 3 and xlsx["median_wait_minutes"].max() == 80.25


def test_milestones_with_norwegian_dates():
    ms = read_ms(FIX / "milestones_norwegian.csv")
    assert ms.set_index("milestone").loc["go_live", "date"] == pd.Timestamp("2023-08-29")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("unknown_site.csv", ["row 4", "column 'site'", "'sandvika'", "a site id"]),
        ("duplicate_week.csv", ["row 4", "one row per site and period", "rows [3, 4]"]),
        ("negative_count.csv", ["row 4", "column 'n_examinations'", "'-5'", "non-negative"]),
        ("non_numeric.csv", ["'two hundred'", "'80 min'", "2 problems"]),
        ("fractional_count.csv", ["'200.5'", "whole number"]),
        ("bad_date.csv", ["row 4", "column 'week_start'", "'2023-13-45'", "DD.MM.YYYY"]),
        ("personal_column.csv", ["patient_name"]),
        ("missing_period.csv", ["exactly one period column"]),
        ("no_outcome.csv", ["at least one outcome column"]),
        ("mixed_weekday.csv", ["row 4", "same weekday"]),
        ("empty.csv", ["non-empty file"]),
        ("header_only.csv", ["at least one data row"]),
        ("cp1252_semicolon.csv", ["'bærum'"]),
        (
            "inf_values.csv",
            [
                "row 3, column 'n_examinations': got 'nan'",
                "'inf'",
                "'-Infinity'",
                "a finite number",
            ],
        ),
        (
            "week_numbers.csv",
            ["row 2, column 'week_start': got '9'", "row 3", "give the date itself"],
        ),
    ],
)
def test_bad_aggregates_are_reported(name, expected):
    text = message(BAD / name)
    assert name in text
    for fragment in expected:
        assert fragment in text, (fragment, text)


def test_personal_data_value_is_never_printed():
    assert "Kari" not in message(BAD / "personal_column.csv")


def test_all_problems_reported_together():
    text = message(BAD / "many_problems.csv")
    assert "4 problems" in text
    for fragment in ("'sandvika'", "'-5'", "'x'", "one row per site and period"):
        assert fragment in text


def test_bad_milestones_and_both_files_reported_together():
    text = message(BAD / "milestones_bad.csv", read_ms)
    for fragment in (
        "'golive'",
        "row 4",
        "one date per site and milestone",
        "'sandvika'",
        "'31.02.2023'",
    ):
        assert fragment in text, fragment
    with pytest.raises(InputError) as err:
        prepare(BAD / "unknown_site.csv", BAD / "milestones_bad.csv", DEFINITION, ORGANISATION)
    assert "unknown_site.csv" in str(err.value) and "milestones_bad.csv" in str(err.value)


def test_definition_is_validated(tmp_path):
    bad = dict(
        DEFINITION,
        outcomes={"x": {"model": "probit", "label": {"nb": "x"}, "target_slope_change": 1}},
    )
    path = tmp_path / "monitoring.yaml"
    import yaml

    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(InputError, match="probit"):
        load_definition(path, SCHEMA)


def utf16_detected() -> bool:
    """Whether impleval.tabular recognises UTF-16 (it reads `a;b` back, not mojibake)."""
    from impleval.tabular import decode_bytes

    return decode_bytes("a;b\n".encode("utf-16"), "probe.csv")[0].strip() == "a;b"


@pytest.mark.skipif(
    not utf16_detected(),
    reason="needs the shared UTF-16 detection in impleval.tabular (branch privacy); the importer "
    "reads through tabular.read_table and gets it there without a change of its own",
)
def test_utf16_aggregates_read_like_utf8():
    pd.testing.assert_frame_equal(read(BAD / "utf16_bom.csv"), read(FIX / "weekly_norwegian.csv"))


def _definition(tmp_path, **changes):
    """The demo definition with `changes` (dotted keys) written to a file and loaded."""
    import copy

    import yaml

    data = copy.deepcopy(load_yaml(ROOT / "config" / "demo-study" / "monitoring.yaml"))
    for key, value in changes.items():
        node = data
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    path = tmp_path / "monitoring.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "changes, fragments",
    [
        ({"milestones.go_live": "oppstart"}, ["column 'milestones/go_live'", "'oppstart'"]),
        ({"primary_outcome": "wait"}, ["column 'primary_outcome'", "one of the outcomes"]),
        (
            {"outcomes.median_wait_minutes.small_cell_count": "n_exams"},
            ["outcomes/median_wait_minutes/small_cell_count", "an outcome id"],
        ),
        (
            {"outcomes.median_wait_minutes.column": "Ventetid"},
            ["outcomes/median_wait_minutes/column", "columns.allowed"],
        ),
        ({"formats.aggregates.decimal": ";"}, ["formats/aggregates/decimal"]),
        ({"milestones.columns.sted": "site"}, ["milestones/columns", "sted"]),
    ],
)
def test_definition_is_complete_or_refused(tmp_path, changes, fragments):
    with pytest.raises(InputError) as err:
        load_definition(_definition(tmp_path, **changes), SCHEMA)
    for fragment in fragments:
        assert fragment in str(err.value), (fragment, str(err.value))


def test_value_map_to_an_unknown_id_is_refused_before_reading(tmp_path):
    path = _definition(tmp_path, **{"value_maps.site": {"Bærum sykehus HF": "barum"}})
    with pytest.raises(InputError, match="value_maps/site/Bærum sykehus HF"):
        prepare(
            FIX / "weekly_norwegian.csv",
            FIX / "milestones_norwegian.csv",
            load_definition(path, SCHEMA),
            ORGANISATION,
        )


def test_configured_columns_formats_and_labels(tmp_path):
    """Milestones `sted;region;milepael;dato` with labels and a renamed go-live; aggregates with a
    period column that does not say its frequency, thousands dots and a date pattern."""
    definition = load_definition(
        _definition(
            tmp_path,
            **{
                "columns.period": ["periode"],
                "columns.allowed": ["site", "periode", "n_examinations", "median_wait_minutes"],
                "formats.aggregates": {"delimiter": ";", "decimal": ",", "date": "%d/%m/%Y"},
                "formats.milestones": {"delimiter": ";"},
                "milestones.kinds": ["anskaffelse", "oppstart"],
                "milestones.go_live": "oppstart",
                "milestones.labels": {"oppstart": {"nb": "Oppstart", "en": "Go-live"}},
                "milestones.columns": {
                    "site": "sted",
                    "milestone": "milepael",
                    "date": "dato",
                    "allowed": ["region"],
                },
                "value_maps.milestone": {"Innkjøp startet": "anskaffelse"},
            },
        ),
        SCHEMA,
    )
    maps = value_maps(definition, ORGANISATION)
    agg = tmp_path / "agg.csv"
    agg.write_text(
        "site;periode;n_examinations;median_wait_minutes\n"
        "Bærum sykehus;01/01/2023;1.520;70,5\n"
        "baerum;01/02/2023;1.480;71\n"
        "BÆRUM  SYKEHUS;01/03/2023;1.610;69,25\n",
        encoding="utf-8",
    )
    series = read_aggregates(agg, definition, maps["site"])
    assert (series["frequency"] == "monthly").all() and set(series["site"]) == {"baerum"}
    assert series["n_examinations"].tolist() == [1520.0, 1480.0, 1610.0]
    assert series["median_wait_minutes"].tolist() == [70.5, 71.0, 69.25]
    ms = tmp_path / "ms.csv"
    ms.write_text(
        "sted;region;milepael;dato\n"
        "Bærum sykehus;Helse Sør-Øst;innkjøp startet;01.09.2020\n"
        "baerum;Helse Sør-Øst;Go-live;29.08.2023\n",
        encoding="utf-8",
    )
    table = read_milestones(ms, definition, maps["site"], maps["milestone"])
    assert table["milestone"].tolist() == ["anskaffelse", "oppstart"]
    bad = tmp_path / "bad.csv"
    bad.write_text("sted,region,milepael,dato\nbaerum,x,Golive,29.08.2023\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_milestones(bad, definition, maps["site"], maps["milestone"])
    text = str(err.value)
    assert "separated by ';' as formats says (the file uses ','" in text
    assert "row 2, column 'milepael': got 'Golive'; expected a milestone id or label" in text
    assert "oppstart (Oppstart)" in text and "`value_maps/milestone`" in text
