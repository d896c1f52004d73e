"""Property test across every free-text path of the importers (issue 16): an identifier in any
spelling (fødselsnummer, D-number, phone, e-mail, listed name; spaces, dots, dashes, slashes,
NBSP, line breaks, grouped digits) planted in a cell, a header, a file name, an interview
document name, a memo or a document-variable value never reaches the outputs, the log or the
console, in both deid modes. Each example runs the real prepare script as Snakemake would.

The leak check is independent of the scanner: every text unit written (parquet cells and
headers, CSV, YAML, the log, stderr) is compacted (separators removed, lower case) and must not
contain the identifier's digits, the e-mail's address part or the name."""

from __future__ import annotations

import contextlib
import io
import os
import re
import runpy
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from impleval.privacy import nin
from tests.script_harness import Named, rule_outputs

REPO = Path(__file__).resolve().parents[2]
SURVEY_FIX = REPO / "tests/fixtures/survey"
INTERVIEW_FIX = REPO / "tests/fixtures/interviews"
STUDY = REPO / "config/demo-study"
SEPARATORS = [" ", ".", "-", "/", "\u00a0", "\n", "\r\n", " - ", "\u2013"]
_COMPACT = re.compile(r"[\s.\-/\u00a0\u202f\u2013_]+")


def nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text))


def compact(text: str) -> str:
    return _COMPACT.sub("", str(text)).lower()


# --- identifiers in every spelling -------------------------------------------------------------


@st.composite
def identifiers(draw):
    """(spelling, probe): the text to plant and what must never come out (compacted)."""
    kind = draw(st.sampled_from(["fnr", "dnr", "phone", "email", "name"]))
    sep = draw(st.sampled_from(SEPARATORS))
    if kind in ("fnr", "dnr"):
        day, month, year = (
            draw(st.integers(1, 28)),
            draw(st.integers(1, 12)),
            draw(st.integers(40, 99)),
        )
        date = f"{day:02d}{month:02d}{year:02d}"
        number = nin.make_fnr(date, f"{draw(st.integers(0, 999)):03d}", kind=kind)
        assume(number is not None)
        cuts = draw(st.sampled_from([(6,), (6, 9), (2, 4, 6), (2, 4, 6, 9)]))
        parts, prev = [], 0
        for cut in [*cuts, 11]:
            parts.append(number[prev:cut])
            prev = cut
        return sep.join(parts), number
    if kind == "phone":
        digits = draw(st.sampled_from("49")) + "".join(
            str(draw(st.integers(0, 9))) for _ in range(7)
        )
        cuts = draw(st.sampled_from([(2, 4, 6), (3, 5), (4,)]))
        parts, prev = [], 0
        for cut in [*cuts, 8]:
            parts.append(digits[prev:cut])
            prev = cut
        prefix = draw(st.sampled_from(["", "+47 ", "0047 "]))
        return prefix + sep.join(parts), digits
    if kind == "email":
        local = draw(st.sampled_from(["solveig.berntsen", "s.berntsen", "solveig_berntsen"]))
        at = draw(st.sampled_from(["@", " @ ", "(at)", " [at] ", "@\n"]))
        dot = draw(st.sampled_from([".", "(dot)", " [dot] "]))
        return f"{local}{at}helse-vest{dot}no", "berntsen"
    first, last = draw(st.sampled_from([("Kari", "Nordmann"), ("Ingrid", "Johansen")]))
    spacing = draw(st.sampled_from([" ", "\n", "\u00a0", "  "]))
    case = draw(st.sampled_from([str, str.upper, str.lower]))
    return case(f"{first}{spacing}{last}"), last.lower()


# --- running the prepare scripts ---------------------------------------------------------------


def run(script: str, smk) -> tuple[int, str]:
    """Exit status and everything printed on stderr."""
    err = io.StringIO()
    code = 0
    with contextlib.redirect_stderr(err):
        try:
            runpy.run_path(str(REPO / "scripts" / script), init_globals={"snakemake": smk})
        except SystemExit as exc:
            code = exc.code or 0
    return code, err.getvalue()


def survey_smk(report: Path, out: Path, on_hit: str):
    smk = type("Smk", (), {})()
    smk.input = Named(
        report=str(report),
        codebook=str(SURVEY_FIX / "codebook.json"),
        survey=str(STUDY / "survey.yaml"),
        organisation=str(STUDY / "organisation.yaml"),
        schema=str(REPO / "config/schema/survey.schema.yaml"),
        names=str(STUDY / "names.txt"),
    )
    smk.output = rule_outputs("prepare_survey", out)
    smk.params = Named(
        format="nettskjema_wide", export_keys=["report", "codebook"], on_hit=on_hit, language="nb"
    )
    smk.log = [str(out / "prepare.log")]
    return smk


def interview_smk(segments: Path, variables: Path, out: Path, on_hit: str):
    smk = type("Smk", (), {})()
    smk.input = Named(
        segments=str(segments),
        document_variables=str(variables),
        interviews=str(STUDY / "interviews.yaml"),
        organisation=str(STUDY / "organisation.yaml"),
        schema=str(REPO / "config/schema/interviews.schema.yaml"),
        names=str(STUDY / "names.txt"),
    )
    smk.output = rule_outputs("prepare_interviews", out)
    smk.params = Named(
        format="maxqda", export_keys=["segments", "document_variables"], on_hit=on_hit
    )
    smk.log = [str(out / "prepare.log")]
    return smk


def survey_report():
    return pd.read_csv(SURVEY_FIX / "report.csv", sep=";", dtype=str, keep_default_na=False)


def write_survey(df: pd.DataFrame, path: Path, encoding="utf-8") -> Path:
    df.to_csv(path, sep=";", index=False, quoting=1, encoding=encoding)
    return path


def maxqda():
    seg = pd.read_excel(INTERVIEW_FIX / "synthetic_maxqda-coded-segments.xlsx", dtype=str)
    var = pd.read_excel(INTERVIEW_FIX / "synthetic_maxqda-document-variables.xlsx", dtype=str)
    return seg, var


def plant(path_kind: str, spelling: str, work: Path, on_hit: str):
    """Write the planted inputs; return (script, smk, expected exit status or None)."""
    out = work / "out"
    out.mkdir()
    one_line = re.sub(r"[\r\n/]+", " ", spelling)
    if path_kind.startswith("survey"):
        df = survey_report()
        report = work / "report.csv"
        expect = 0
        if path_kind == "survey_cell":
            df.loc[2, "COMMENT"] = f"Ring meg på {spelling} i morgen"
            expect = 1 if on_hit == "fail" else 0
        elif path_kind == "survey_header":
            df[spelling] = ""
            expect = 1  # refused by the allow-list, in both modes
        elif path_kind == "survey_file_name":
            report = work / f"{one_line} svar.csv"
            df.loc[1, "COMMENT"] = "bra opplæring på sykehuset"  # cp1252: a warning names the file
            write_survey(df, report, encoding="cp1252")
            return "prepare_survey.py", survey_smk(report, out, on_hit), 0
        write_survey(df, report)
        return "prepare_survey.py", survey_smk(report, out, on_hit), expect
    seg, var = maxqda()
    expect = 0
    if path_kind == "interview_text":
        seg.loc[1, "Segment"] = f"Hun sa: «ring {spelling}», og gikk."
        expect = 1 if on_hit == "fail" else 0
    elif path_kind == "interview_document_name":
        old = nfc(var.loc[0, "Document name"])  # the fixtures mix NFC and NFD on purpose
        new = f"Intervju {one_line}"
        var.loc[var["Document name"].map(nfc) == old, "Document name"] = new
        seg.loc[seg["Document name"].map(nfc) == old, "Document name"] = new
    elif path_kind == "interview_memo":
        seg.loc[0, "Comment"] = f"Memo: snakk med {spelling}"
    elif path_kind == "interview_variable_value":
        var.loc[0, "Rolle"] = spelling
        expect = 1  # not a role of the study: refused with the value masked
    segments, variables = work / "segments.xlsx", work / "variables.xlsx"
    seg.to_excel(segments, index=False)
    var.to_excel(variables, index=False)
    return "prepare_interviews.py", interview_smk(segments, variables, out, on_hit), expect


def written_units(out: Path, stderr: str) -> list[str]:
    units = [stderr]
    for path in sorted(out.rglob("*")):
        if path.suffix == ".parquet":
            df = pd.read_parquet(path)
            units += [str(c) for c in df.columns]
            for col in df.columns:
                units += df[col].dropna().astype(str).tolist()
        elif path.is_file():
            units.append(path.read_text(encoding="utf-8", errors="replace"))
    return units


PATHS = [
    "survey_cell",
    "survey_header",
    "survey_file_name",
    "interview_text",
    "interview_document_name",
    "interview_memo",
    "interview_variable_value",
]


@pytest.mark.parametrize("on_hit", ["fail", "redact"])
@pytest.mark.parametrize("path_kind", PATHS)
@settings(
    max_examples=int(os.environ.get("IMPLEVAL_PRIVACY_EXAMPLES", "5")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ident=identifiers())
def test_no_identifier_reaches_outputs_logs_or_messages(path_kind, on_hit, ident):
    spelling, probe = ident
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        script, smk, expect = plant(path_kind, spelling, work, on_hit)
        code, stderr = run(script, smk)
        log = Path(smk.log[0]).read_text(encoding="utf-8")
        assert "Traceback" not in log and "unexpected error" not in log, log
        assert code == expect, log
        if code:
            assert "problem" in log  # a clear InputError message, nothing else
        for unit in written_units(work / "out", stderr):
            assert probe not in compact(unit), f"{path_kind}/{on_hit}: leaked into {unit[:200]!r}"
        if code == 0 and path_kind in ("survey_cell", "interview_text"):
            deid = pd.read_csv(smk.output.deid)
            assert deid["n_hits"].sum() >= 1  # redacted, and counted
        shutil.rmtree(work / "out", ignore_errors=True)
