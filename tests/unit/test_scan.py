"""The identifier scanner (privacy/scan.py): every spelling of issue 16, hits mapped back to the
original text (line breaks included), message masking with names and id-column context."""

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from impleval.privacy import nin
from impleval.privacy.scan import (
    is_id_column,
    mask,
    normalise,
    redact_text,
    scan_text,
    set_names,
)

FNR = "31129956715"  # valid (methods.md)
DNR = nin.make_fnr("150385", "234", kind="dnr") or nin.make_fnr("150385", "235", kind="dnr")
HNR = nin.make_fnr("010185", "123", kind="hnr")


def found(text, names=()):
    return [(h.kind, h.confidence, text[h.start : h.end]) for h in scan_text(text, names)]


# --- fødselsnummer, D- and H-numbers in every grouping and separator ----------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "31.12.99 56715",  # DD.MM.YY NNNNN
        "311299.56715",  # DDMMYY.NNNNN
        "311299 567 15",  # DDMMYY NNN NN
        "31.12.99 567 15",
        "31 12 99 56715",
        "31-12-99-56715",
        "31/12/99 56715",
        "311299\u00a056715",  # NBSP
        "311299\u202f567\u00a015",  # narrow NBSP, NBSP
        "311299\n56715",  # line break
        "311299\r\n567 15",
        "31.12.99\n56715",
        "311299 \n 56715",
        "311299\u201356715",  # en dash
        "3112\u200b9956715",  # zero-width space inside
        "31129\u00ad956715",  # soft hyphen
        "3 1 1 2 9 9 5 6 7 1 5",  # one digit at a time (valid number: any grouping counts)
        "3112995\n6715",  # broken in the middle of a group (valid number)
    ],
)
def test_fnr_spellings_are_caught_whole(spelling):
    text = f"Pasienten, fnr {spelling}, ble henvist."
    hits = found(text)
    assert hits == [("fnr", "high", spelling)]


@pytest.mark.parametrize("number, kind", [(DNR, "dnr"), (HNR, "hnr")])
@pytest.mark.parametrize("template", ["{a}.{b}.{c} {d}", "{a}{b}{c}\n{d}", "{a}{b}{c} {e} {f}"])
def test_d_and_h_numbers_in_groupings(number, kind, template):
    spelled = template.format(
        a=number[:2], b=number[2:4], c=number[4:6], d=number[6:], e=number[6:9], f=number[9:]
    )
    assert found(f"nr {spelled} i journalen") == [(kind, "high", spelled)]


def test_mistyped_fnr_in_usual_groupings_is_low_and_in_odd_groupings_ignored():
    bad = FNR[:-1] + "0"
    assert found(f"fnr {bad[:6]} {bad[6:]}") == [("fnr", "low", f"{bad[:6]} {bad[6:]}")]
    # An odd grouping of a number failing the checksum: a bank account (4.2.5), not a fødselsnr.
    assert found("konto 1234.56.78901") == []


# --- phone numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "41234567",
        "41 23 45 67",
        "412 34 567",
        "4123 4567",
        "41.23.45.67",
        "41-23-45-67",
        "41/23/45/67",
        "41 23\n45 67",
        "412\u00a034\u00a0567",
        "+47 412 34 567",
        "+47 41234567",
        "+4741234567",
        "0047 41234567",
        "0047 412 34 567",
        "00 47 41 23 45 67",
        "004741234567",
        "+47\n41 23 45 67",
        "22 33 44 55",
    ],
)
def test_phone_spellings(spelling):
    text = f"Ring meg på {spelling} i morgen."
    assert found(text) == [("phone", "high", spelling)]


def test_phone_in_parentheses_prefix_and_two_numbers_with_a_slash():
    assert found("(+47) 41234567") == [("phone", "high", "41234567")]
    assert found("tlf 412 34 567 / 22 33 44 55") == [
        ("phone", "high", "412 34 567"),
        ("phone", "high", "22 33 44 55"),
    ]


def test_grouped_8_digits_starting_with_0_or_1_are_low_confidence_hits():
    """`12 34 56 78` (issue 16): not a Norwegian subscriber number, but phone-shaped: caught as
    low confidence (the gate stops or redacts it; the results audit ignores low phone hits)."""
    assert found("ring 12 34 56 78") == [("phone", "low", "12 34 56 78")]
    assert found("ring 123 45 678") == [("phone", "low", "123 45 678")]
    assert found("id 12345678") == []  # contiguous: an id or a count


@pytest.mark.parametrize(
    "text",
    [
        "vakt kl. 20.00-22.30",
        "kl 14.30 - 15.45",
        "skoleåret 2023-2024 og 2023 / 2024",
        "budsjett 25 000 000 kr",
        "snitt 1.30590949 og 0.3076923077",
        "p = 5.493911288e-07",
        "andel 4,41234567",
        "beløp 41234567,50",
        "dato 29.08.2023 og 12.03.2024",
        "liste:\n- 41\n- 23\n- 45\n- 67",
    ],
)
def test_times_decimals_amounts_dates_and_lists_are_not_phones(text):
    assert [h for h in scan_text(text) if h.confidence == "high"] == []


# --- e-mail --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "kari.nordmann@helse-vest.no",
        "kari.nordmann @ helse-vest.no",
        "kari.nordmann@\nhelse-vest.no",
        "kari.nordmann(at)helse-vest.no",
        "kari.nordmann [at] helse-vest.no",
        "kari.nordmann{at}helse-vest.no",
        "kari.nordmann (a) helse-vest.no",
        "kari.nordmann krøllalfa helse-vest.no",
        "kari.nordmann at helse-vest.no",
        "kari.nordmann(at)helse-vest(dot)no",
        "kari [at] helse-vest [dot] no",
        "kari dot nordmann at helse-vest dot no",
        "KARI.NORDMANN@HELSE-VEST.NO",
    ],
)
def test_email_obfuscations(spelling):
    assert found(f"Skriv til {spelling} før fredag") == [("email", "high", spelling)]


def test_at_as_a_norwegian_word_is_not_an_email():
    assert found("Jeg tror at vg.no skrev om det, og at nrk.no også gjorde det.") == []


# --- organisation numbers and names --------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["974749025", "974 749 025", "NO 974 749 025 MVA", "974\n749 025"]
)
def test_orgnr(spelling):
    assert found(f"org.nr. {spelling} her") == [("orgnr", "high", spelling)]


def test_names_across_line_breaks_and_invisible_characters():
    names = ["Kari Nordmann"]
    assert found("sa Kari\nNordmann", names) == [("name", "high", "Kari\nNordmann")]
    assert found("sa Ka\u200bri Nordmann", names) == [("name", "high", "Ka\u200bri Nordmann")]


# --- mapping back and redaction ------------------------------------------------------------------


def test_redaction_replaces_the_line_broken_identifier_in_the_original_text():
    text = "Hun sa: «ring 41 23\n45 67 eller fnr 311299\n567 15», og gikk."
    out = redact_text(text, scan_text(text))
    assert out == "Hun sa: «ring [PHONE] eller fnr [FNR]», og gikk."


def test_normalise_maps_every_character_back():
    text = "a\u00a0\u00a0b\n\nc\u200bd\u2013e"
    norm = normalise(text)
    assert norm.text == "a b cd-e"
    assert [text[slice(*norm.span(i, i + 1))] for i in range(len(norm.text))] == [
        "a",
        "\u00a0\u00a0",
        "b",
        "\n\n",
        "c",
        "d",
        "\u2013",
        "e",
    ]


# --- masking of messages -------------------------------------------------------------------------


def test_mask_uses_the_registered_names_and_the_scanner():
    set_names(["Kari Nordmann"])
    try:
        assert mask("got 'Kari Nordmann' and 311299 56715") == "got '[NAME]' and [FNR]"
    finally:
        set_names([])
    assert mask("got 'Kari Nordmann'") == "got 'Kari Nordmann'"  # no list registered


@pytest.mark.parametrize(
    "column, readable",
    [
        ("$submission_id", True),
        ("submission_id", True),
        ("respondent_id", True),
        ("Svar-ID", True),
        ("id", True),
        ("phone", False),
        ("mobil_id", False),
        ("comment", False),
        (None, False),
    ],
)
def test_eight_digit_values_stay_readable_in_id_columns_only(column, readable):
    assert is_id_column(column) is readable
    masked = mask("41234567", column=column)
    assert (masked == "41234567") is readable
    # A fødselsnummer is masked whatever the column.
    assert mask(FNR, column=column) == "[FNR]"


# --- property: any separator mix between the groups of a valid number is caught ------------------

SEPARATORS = st.sampled_from([" ", ".", "-", "/", "\u00a0", "\n", "\r\n", " - ", ". ", "\u2013"])
WORDS = st.lists(
    st.sampled_from("pasient ble sett på legevakt tlf fnr nr. «ja» 3 av 12 kl. 2023".split()),
    max_size=6,
).map(" ".join)


@st.composite
def fnr_spellings(draw):
    kind = draw(st.sampled_from(["fnr", "dnr", "hnr"]))
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(0, 99))
    date = f"{day:02d}{month:02d}{year:02d}"
    number = nin.make_fnr(date, f"{draw(st.integers(0, 999)):03d}", kind=kind)
    assume(number is not None)
    cuts = draw(st.sampled_from([(), (6,), (6, 9), (2, 4, 6), (2, 4, 6, 9)]))
    parts, prev = [], 0
    for cut in [*cuts, 11]:
        parts.append(number[prev:cut])
        prev = cut
    seps = [draw(SEPARATORS) for _ in parts[1:]]
    return kind, number, parts[0] + "".join(s + p for s, p in zip(seps, parts[1:], strict=True))


@st.composite
def phone_spellings(draw):
    digits = str(draw(st.integers(2, 9))) + "".join(str(draw(st.integers(0, 9))) for _ in range(7))
    assume(not re.fullmatch(r"(?:19|20)\d{6}|\d{4}(?:19|20)\d\d", digits))  # date-shaped: low
    cuts = draw(st.sampled_from([(), (2, 4, 6), (3, 5), (4,)]))
    if cuts == (4,):
        assume(not (digits[:2] in ("19", "20") and digits[4:6] in ("19", "20")))  # two years
    parts, prev = [], 0
    for cut in [*cuts, 8]:
        parts.append(digits[prev:cut])
        prev = cut
    sep = draw(st.sampled_from([" ", "\u00a0", "\n", ".", "-", "\r\n"]))
    prefix = draw(st.sampled_from(["", "+47 ", "0047 ", "+47\n"]))
    return digits, prefix + sep.join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fnr_spellings(), WORDS, WORDS)
def test_any_fnr_spelling_is_caught_and_fully_redacted(spelled, before, after):
    kind, number, spelling = spelled
    text = f"{before} {spelling} {after}"
    hits = scan_text(text)
    start = len(before) + 1
    assert [(h.kind, h.start, h.end) for h in hits if h.start <= start < h.end] == [
        (kind, start, start + len(spelling))
    ]
    redacted = redact_text(text, hits)
    assert number not in re.sub(r"\D", "", redacted)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phone_spellings(), WORDS, WORDS)
def test_any_phone_spelling_is_caught_and_fully_redacted(spelled, before, after):
    digits, spelling = spelled
    text = f"{before}: {spelling} ({after})"
    hits = scan_text(text)
    start = len(before) + 2
    covering = [h for h in hits if h.start <= start + len(spelling) - 1 < h.end]
    assert [(h.kind, h.confidence) for h in covering] == [("phone", "high")]
    assert digits not in re.sub(r"\D", "", redact_text(text, hits))


@pytest.mark.parametrize("on_hit", ["fail", "redact"])
def test_the_gate_never_stores_a_piece_of_a_line_broken_identifier(on_hit):
    """Issue 16: the quote gate caught these only after collapsing whitespace, and they stayed in
    interview_segments.parquet. The gate now redacts or fails on the original text."""
    import pandas as pd

    from impleval.errors import InputError
    from impleval.privacy.deid import gate_frame

    texts = [
        f"fnr {FNR[:6]}\n{FNR[6:]} sa hun",
        "ring 41 23\n45 67 i morgen",
        f"født 31.12.99\r\n{FNR[6:9]} {FNR[9:]}",
        "skriv til kari.nordmann@\nhelse-vest.no",
    ]
    df = pd.DataFrame({"text": texts})
    if on_hit == "fail":
        with pytest.raises(InputError) as err:
            gate_frame(df, text_columns=["text"], source="s", file="x.xlsx", on_hit="fail")
        assert [p.row for p in err.value.problems] == [2, 3, 4, 5]
        return
    clean, _ = gate_frame(df, text_columns=["text"], source="s", file="x.xlsx", on_hit="redact")
    stored = "\n".join(clean["text"])
    for piece in (FNR[:6], FNR[6:], "41 23", "45 67", "kari.nordmann", FNR[6:9]):
        assert piece not in stored
    assert clean["text"].tolist() == [
        "fnr [FNR] sa hun",
        "ring [PHONE] i morgen",
        "født [FNR]",
        "skriv til [EMAIL]",
    ]
