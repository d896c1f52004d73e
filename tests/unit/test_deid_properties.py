"""Property tests: valid identity numbers embedded in Norwegian text are always caught, and the
gate never prints them."""

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from impleval.errors import InputError
from impleval.privacy import nin
from impleval.privacy.deid import gate_frame, scan_text

WORDS = (
    "pasienten henvist til røntgen brudd håndledd ble sett av lege på legevakten i går "
    "Tromsø Bodø Ålesund sykepleier radiograf svarte «ja» 3 av 12 2023 41,5 % KI-verktøyet "
    "BoneView fant ikke bruddet før ortopeden så bildet fødselsnummer nr. tlf. ref:"
).split()
BOUNDARY = st.sampled_from([" ", " (", ": ", " «", "\n", ", ", " nr. "])
AFTER = st.sampled_from([" ", ") ", ". ", "», ", "\n", "; ", "."])


@st.composite
def identity_numbers(draw):
    kind = draw(st.sampled_from(["fnr", "dnr", "hnr"]))
    day = draw(st.integers(1, 28))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    individual = draw(st.integers(0, 999))
    rule_2032 = draw(st.booleans())
    number = nin.make_fnr(
        f"{day:02d}{month:02d}{year:02d}", f"{individual:03d}", kind=kind, rule_2032=rule_2032
    )
    assume(number is not None)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return kind, number[:6] + sep + number[6:]


sentences = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(identity_numbers(), sentences, BOUNDARY, AFTER, sentences)
@example(  # a tight dot and a digit after it: an integer part, but its control digits hold
    ident=("fnr", "01010000110"), before="", left=" ", right=".", after="3"
)
def test_valid_identity_numbers_in_text_are_always_caught(ident, before, left, right, after):
    kind, number = ident
    text = before + left + number + right + after
    start = len(before) + len(left)
    hits = [h for h in scan_text(text) if h.start <= start < h.end]
    assert [(h.kind, h.confidence, h.start, h.end) for h in hits] == [
        (kind, "high", start, start + len(number))
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(identity_numbers(), sentences), min_size=1, max_size=4),
    st.sampled_from(["fail", "redact"]),
)
def test_gate_never_prints_identifiers_and_redacts_all(rows, on_hit):
    texts = [f"{words} {number} {words}" for (_, number), words in rows]
    df = pd.DataFrame({"comment": texts})
    if on_hit == "fail":
        with pytest.raises(InputError) as err:
            gate_frame(df, text_columns=["comment"], source="survey", file="s.csv", on_hit="fail")
        message = str(err.value)
        assert len(err.value.problems) >= len(rows)
        for (_, number), _ in rows:
            assert number not in message and re.sub(r"\D", "", number) not in message
        assert all(p.value is None for p in err.value.problems)
    else:
        clean, summary = gate_frame(
            df, text_columns=["comment"], source="survey", file="s.csv", on_hit="redact"
        )
        for text in clean["comment"]:
            assert not re.search(r"\d{6}[ -]?\d{5}", text)
        assert summary["n_hits"].sum() >= len(rows)
