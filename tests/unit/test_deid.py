"""De-identification gate: checksums, patterns, gate_frame fail/redact, allow-list."""

import pandas as pd
import pytest

from impleval.errors import InputError
from impleval.privacy import nin
from impleval.privacy.deid import check_allowed_columns, gate_frame, read_names, scan_text

FNR = "31129956715"  # validated example from methods.md


def kinds(text, names=()):
    return [(h.kind, h.confidence) for h in scan_text(text, names)]


# --- checksums -------------------------------------------------------------------------------


def test_example_fnr_is_valid_under_classic_rule():
    assert nin.checksum_valid(FNR, rule_2032=False)
    assert nin.classify_11_digits(FNR) == ("fnr", "high")


def test_2032_k1_rule_accepts_remainders_1_to_3_only_when_enabled():
    number = nin.make_fnr("010132", "123", rule_2032=True)
    assert number is not None
    assert nin.checksum_valid(number)
    assert not nin.checksum_valid(number, rule_2032=False)


def test_k2_failure_is_invalid():
    bad = FNR[:-1] + str((int(FNR[-1]) + 1) % 10)
    assert not nin.checksum_valid(bad)
    assert nin.classify_11_digits(bad) == ("fnr", "low")


def test_d_and_h_numbers():
    dnr = nin.make_fnr("150385", "234", kind="dnr") or nin.make_fnr("150385", "235", kind="dnr")
    hnr = nin.make_fnr("010185", "123", kind="hnr")
    assert dnr and dnr[0] in "4567" and nin.classify_11_digits(dnr) == ("dnr", "high")
    assert hnr and hnr[2] in "45" and nin.classify_11_digits(hnr) == ("hnr", "high")


def test_impossible_date_lowers_confidence():
    assert nin.number_kind("32139900000")[1] is False


def test_orgnr_checksum():
    assert nin.orgnr_valid("974749025")
    assert not nin.orgnr_valid("974749026")


# --- scan_text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [f"fnr {FNR}.", "fnr 311299 56715 i journalen", "fnr 311299-56715"]
)
def test_fnr_with_and_without_separators(text):
    assert kinds(text) == [("fnr", "high")]


def test_hits_in_norwegian_sentence():
    text = (
        f"Pasienten (fødselsnr. {FNR}) ble henvist av Kari Nordmann, tlf. 412 34 567, "
        "e-post kari.nordmann@helse-bergen.no, fakturert til org.nr. 974 749 025 MVA."
    )
    assert kinds(text, ["Kari Nordmann"]) == [
        ("fnr", "high"),
        ("name", "high"),
        ("phone", "high"),
        ("email", "high"),
        ("orgnr", "high"),
    ]


def test_checksum_failing_11_digits_is_low_confidence_not_ignored():
    assert kinds("ref 12345678901") == [("fnr", "low")]


@pytest.mark.parametrize(
    "text",
    [
        "+47 412 34 567",
        "0047 41234567",
        "41234567",
        "22 33 44 55",
        "412 34 567",
        "4123 4567",
        "+4741234567",
    ],
)
def test_phone_shapes(text):
    assert kinds(f"ring {text} i morgen") == [("phone", "high")]


@pytest.mark.parametrize(
    "text",
    [
        "I 2023 svarte 1234 av 5678 ansatte",
        "skoleåret 2023-2024",
        "mellom 2023 2024",
        "budsjett 25 000 000 kr",
        "kl. 14:30 den 29.08.2023",
        "12345678 starter med 1",
        "andel 0,12345678901",
        "p = 0.004746756748",
        "9-sifret 123456789 uten gyldig kontrollsiffer",
    ],
)
def test_no_false_positives_on_years_counts_and_dates(text):
    assert kinds(text) == []


def test_date_shaped_8_digit_run_is_low_confidence_phone():
    assert kinds("dato 20230829") == [("phone", "low")]


def test_names_case_insensitive_word_boundaries_nfc():
    names = ["Per Hansen", "Åse Ødegård"]
    assert kinds("per  hansen sa nei", names) == [("name", "high")]
    assert kinds("Per Hansens vakt", names) == [("name", "high")]
    assert kinds("Per Hansenberg", names) == []
    decomposed = "A\u030ase Ødegård"  # NFD Å
    assert kinds(f"ifølge {decomposed}", names) == [("name", "high")]


def test_read_names_skips_comments(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("\ufeff# comment\nKari Nordmann\n\n  Ola Nordmann \n", encoding="utf-8")
    assert read_names(path) == ["Kari Nordmann", "Ola Nordmann"]


# --- gate_frame ------------------------------------------------------------------------------


def frame():
    return pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "comment": [f"mitt fnr er {FNR}", None, "ring 41234567 eller 12345678901"],
            "other": ["ingenting", "Kari Nordmann var her", ""],
        }
    )


def test_gate_fail_lists_every_hit_without_the_identifier():
    with pytest.raises(InputError) as err:
        gate_frame(
            frame(),
            text_columns=["comment", "other"],
            source="survey",
            file="data/raw/s.csv",
            on_hit="fail",
            names=["Kari Nordmann"],
        )
    problems = err.value.problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "comment"),
        (4, "comment"),
        (4, "comment"),
        (3, "other"),
    ]
    assert all(p.value is None for p in problems)
    message = str(err.value)
    assert FNR not in message and "41234567" not in message and "Kari" not in message
    assert "s.csv, row 2, column 'comment'" in message
    assert "low confidence" in message
    assert "fødselsnummer" in message


def test_gate_redact_replaces_and_counts():
    clean, summary = gate_frame(
        frame(),
        text_columns=["comment", "other"],
        source="survey",
        file="s.csv",
        on_hit="redact",
        names=["Kari Nordmann"],
    )
    comments = clean["comment"].tolist()
    assert pd.isna(comments[1])
    assert comments[0::2] == ["mitt fnr er [FNR]", "ring [PHONE] eller [FNR]"]
    assert clean["other"].tolist() == ["ingenting", "[NAME] var her", ""]
    rows = summary[
        ["column", "kind", "confidence", "n_hits", "action", "n_values_scanned"]
    ].values.tolist()
    assert rows == [
        ["comment", "fnr", "high", 1, "redacted", 2],
        ["comment", "fnr", "low", 1, "redacted", 2],
        ["comment", "phone", "high", 1, "redacted", 2],
        ["other", "name", "high", 1, "redacted", 3],
    ]
    assert (summary["source"] == "survey").all()


def test_gate_without_hits_reports_a_none_row_per_column():
    df = pd.DataFrame({"t": ["hei", "ingen tall her"], "u": [None, None]})
    clean, summary = gate_frame(
        df, text_columns=["t", "u"], source="interviews", file="x.xlsx", on_hit="fail"
    )
    pd.testing.assert_frame_equal(clean, df)
    assert summary[["column", "kind", "n_hits", "n_values_scanned"]].values.tolist() == [
        ["t", "none", 0, 2],
        ["u", "none", 0, 0],
    ]


def test_gate_uses_given_spreadsheet_rows_and_header_rows():
    df = pd.DataFrame({"t": ["ok", f"{FNR}"]})
    with pytest.raises(InputError) as err:
        gate_frame(df, text_columns=["t"], source="s", file="f.xlsx", on_hit="fail", header_rows=3)
    assert err.value.problems[0].row == 5
    with pytest.raises(InputError) as err:
        gate_frame(df, text_columns=["t"], source="s", file="f.xlsx", on_hit="fail", rows=[7, 12])
    assert err.value.problems[0].row == 12


def test_gate_rejects_bad_mode_and_missing_column():
    with pytest.raises(ValueError):
        gate_frame(frame(), text_columns=["comment"], source="s", file="f", on_hit="ignore")
    with pytest.raises(ValueError):
        gate_frame(frame(), text_columns=["nope"], source="s", file="f", on_hit="fail")


# --- allow-list ------------------------------------------------------------------------------


def test_allowed_columns_fail_closed_with_patterns():
    check_allowed_columns(["id", "q1_a", "q1_b"], ["id", "q1_*"], file="s.csv")
    with pytest.raises(InputError) as err:
        check_allowed_columns(["id", "Navn", "Fødselsnummer", "q1_a"], ["id", "q1_*"], file="s.csv")
    assert [p.column for p in err.value.problems] == ["Navn", "Fødselsnummer"]
    assert "allow-list" in str(err.value)


# --- combined hits table ---------------------------------------------------------------------


def test_combine_summaries_keeps_order_and_marks_sources_without_free_text():
    from impleval.privacy.deid import combine_summaries, empty_summary

    _, survey = gate_frame(
        frame(), text_columns=["comment"], source="survey", file="s.csv", on_hit="redact"
    )
    as_read = survey.astype(str).replace({"nan": ""})  # what the script reads back from CSV
    table = combine_summaries({"survey": as_read, "monitoring": empty_summary()})
    assert table["source"].tolist() == ["survey"] * 3 + ["monitoring"]
    assert table.iloc[-1][["kind", "n_hits", "action"]].tolist() == ["none", 0, "no free text"]
    assert table["n_hits"].dtype == "int64"


def test_combine_summaries_rejects_wrong_columns():
    from impleval.privacy.deid import combine_summaries

    with pytest.raises(InputError) as err:
        combine_summaries({"survey": pd.DataFrame({"x": [1]})}, files={"survey": "deid_survey.csv"})
    assert "deid_survey.csv" in str(err.value)


def test_error_messages_mask_identifiers_in_offending_values():
    """Validation runs before the gate: a fødselsnummer typed into a number column is masked."""
    from impleval.errors import InputError, Problem

    message = str(
        InputError(
            [
                Problem("survey.csv", "a number", 4, "age", "31129956715"),
                Problem("survey.csv", "a number", 5, "age", "4x"),
            ]
        )
    )
    assert "31129956715" not in message and "[FNR]" in message
    assert "'4x'" in message
