"""The report's figure style (impleval.figures): numbers on axes in the report language, text size
as the report displays a figure, direct labels, clipping marks, the JSON sidecar."""

from __future__ import annotations

import json
import re
import struct

import numpy as np
import pandas as pd
import pytest

from impleval import figures as F

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def style():
    F.use_report_style()
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _fig(width=6.0, height=3.0):
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def _ticks(axis) -> list[str]:
    axis.figure.canvas.draw()
    low, high = sorted(axis.get_view_interval())
    return [
        t.get_text()
        for t, v in zip(axis.get_ticklabels(), axis.get_ticklocs(), strict=True)
        if low <= v <= high and t.get_text()
    ]


def test_linear_ticks_use_decimal_comma_and_one_number_of_decimals():
    from matplotlib.ticker import MultipleLocator

    fig, ax = _fig()
    ax.plot([0, 1], [-0.6, 1.6])
    ax.yaxis.set_major_locator(MultipleLocator(0.5))
    F.localise_numbers(fig, "nb")
    labels = _ticks(ax.yaxis)
    assert labels and all("." not in t for t in labels)
    assert "0,5" in labels and "1,0" in labels  # one number of decimals across the axis
    assert any(t.startswith("\u2212") for t in labels)  # typographic minus
    fig, ax = _fig()
    ax.plot([0, 1], [-0.6, 1.6])
    ax.yaxis.set_major_locator(MultipleLocator(0.5))
    F.localise_numbers(fig, "en")
    assert "0.5" in _ticks(ax.yaxis)


def test_thousands_get_a_non_breaking_space_in_bokmaal_and_no_offset():
    fig, ax = _fig()
    ax.plot([0, 1], [1_000_000, 4_000_000])
    F.localise_numbers(fig, "nb")
    labels = _ticks(ax.yaxis)
    assert f"2{NBSP}000{NBSP}000" in labels
    assert not ax.yaxis.get_offset_text().get_text()  # no "1e6" above the axis


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0.001, 5.0, {"0,001", "0,01", "0,1", "1"}), (0.3, 3.0, {"0,5", "1", "2"})],
)
def test_log_axes_show_plain_numbers_never_powers_of_ten(low, high, expected):
    fig, ax = _fig()
    ax.set_yscale("log")
    ax.plot([0, 1], [low, high])
    F.localise_numbers(fig, "nb")
    labels = _ticks(ax.yaxis)
    assert expected <= set(labels)
    assert not any("$" in t or "10^" in t or "×" in t or "e-" in t for t in labels)
    minor = [t.get_text() for t in ax.yaxis.get_ticklabels(minor=True) if t.get_text()]
    assert not minor  # minor ticks unlabelled (matplotlib labels them in 10⁻¹ notation)


def test_dates_are_numbers_in_the_report_style():
    fig, ax = _fig()
    ax.plot(pd.to_datetime(["2021-01-04", "2025-12-29"]), [1, 2])
    F.localise_numbers(fig, "nb")
    assert {"2022", "2024"} <= set(_ticks(ax.xaxis))
    fig, ax = _fig()
    ax.plot(pd.to_datetime(["2024-01-10", "2024-06-20"]), [1, 2])
    F.localise_numbers(fig, "nb")
    labels = _ticks(ax.xaxis)
    assert labels and all(re.fullmatch(r"\d\d\.\d{4}", t) for t in labels), labels


def test_own_formatters_are_left_alone():
    fig, ax = _fig()
    ax.plot([0, 1], [0, 1])
    ax.set_yticks([0, 1], ["low", "high"])
    F.localise_numbers(fig, "nb")
    assert _ticks(ax.yaxis) == ["low", "high"]


def test_display_scale_follows_the_text_column():
    column_in = F.COLUMN_PX / F.CSS_PX_PER_INCH  # 9 inches
    assert F.display_scale(column_in) == pytest.approx(1.0)
    assert F.display_scale(2 * column_in) == pytest.approx(0.5)
    assert F.display_scale(4.0) == pytest.approx(F.SAVE_DPI / F.CSS_PX_PER_INCH)  # not enlarged


def test_font_report_finds_text_too_small_once_displayed():
    fig, ax = _fig(width=F.WIDTH_IN)
    ax.set_title("readable")
    assert F.font_report(fig)["min_font_pt"] >= F.MIN_DISPLAY_PT
    ax.text(0.5, 0.5, "tiny", fontsize=5)
    assert F.font_report(fig)["min_font_pt"] < F.MIN_DISPLAY_PT
    wide, ax = _fig(width=18.0)  # 10 pt shown at half size
    ax.set_title("too wide", fontsize=10)
    assert F.font_report(wide)["min_font_pt"] < F.MIN_DISPLAY_PT


def test_hidden_axes_do_not_count():
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(F.WIDTH_IN, 3))
    b.text(0.5, 0.5, "hidden", fontsize=4)
    b.set_visible(False)
    assert F.font_report(fig)["min_font_pt"] >= F.MIN_DISPLAY_PT


def test_save_figure_records_what_the_report_shows(tmp_path):
    fig, ax = _fig(width=F.WIDTH_IN)
    ax.plot([0, 1], [0.5, 1.5])
    F.localise_numbers(fig, "nb")
    paths = [tmp_path / f"f.{e}" for e in ("svg", "png", "json")]
    F.save_figure(fig, *paths, caption="A caption.", alt="Alt text.")
    meta = json.loads(paths[2].read_text())
    with open(paths[1], "rb") as fh:
        fh.read(16)
        width_px, _ = struct.unpack(">II", fh.read(8))
    assert width_px == pytest.approx(meta["display"]["width_in"] * F.SAVE_DPI, abs=3)
    assert meta["display"]["min_font_pt"] >= F.MIN_DISPLAY_PT
    assert "1,0" in meta["display"]["ticks"]
    with pytest.raises(ValueError, match="caption"):
        F.save_figure(_fig()[0], *paths, caption=" ", alt="x")


def test_save_figure_lays_out_once_and_draws_each_format_once(tmp_path, monkeypatch):
    """A constrained-layout figure with date axes: one layout, then one render per format
    (savefig alone would lay it out again per format), and both images are the box the JSON
    records, as `savefig.bbox: tight` with PAD_INCHES would save them."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    fig, axes = plt.subplots(2, 2, figsize=(F.WIDTH_IN, 4), sharex=True, layout="constrained")
    dates = pd.date_range("2021-01-04", periods=160, freq="W-MON")
    for ax in axes.ravel():
        ax.plot(dates, np.linspace(10, 90, len(dates)))
        ax.set_title("panel")
    fig.legend(["series"], loc="outside upper center")
    F.localise_numbers(fig, "nb")
    F.fix_date_ticks(axes[0, 0].xaxis)
    expected = F.font_report(fig)  # lays out without freezing: the reference
    assert fig.get_layout_engine() is not None

    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: draws.append(1) or original(self, r))
    paths = [tmp_path / f"f.{e}" for e in ("svg", "png", "json")]
    F.save_figure(fig, *paths, caption="A caption.", alt="Alt text.")
    assert len(draws) == 2  # the SVG, the PNG: the layout engine runs without a draw
    display = json.loads(paths[2].read_text())["display"]
    # Constrained layout starts from the figure's last layout, so a second one may move a box
    # edge by a hundredth of an inch; everything else is the same.
    for key in ("width_in", "height_in"):
        assert display.pop(key) == pytest.approx(expected.pop(key), abs=0.015)
    assert display == expected
    assert "01.2022" in display["ticks"]  # dates in the report style, from fixed ticks
    display = json.loads(paths[2].read_text())["display"]
    with open(paths[1], "rb") as fh:
        fh.read(16)
        width_px, height_px = struct.unpack(">II", fh.read(8))
    assert width_px == pytest.approx(display["width_in"] * F.SAVE_DPI, abs=1.5)
    assert height_px == pytest.approx(display["height_in"] * F.SAVE_DPI, abs=1.5)
    svg = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', paths[0].read_text())
    assert float(svg[1]) == pytest.approx(display["width_in"] * 72, abs=0.5)
    assert float(svg[2]) == pytest.approx(display["height_in"] * 72, abs=0.5)


def test_direct_labels_never_overlap_and_keep_their_order():
    fig, ax = _fig(width=F.WIDTH_IN, height=3.0)
    ends = []
    for i, y_end in enumerate([50.0, 50.0, 50.5, 10.0, 99.0]):  # ties and near-ties
        ax.plot([0, 1], [0, y_end])
        ends.append((1, y_end, f"series {i}", F.OKABE_ITO[i], F.LINESTYLES[i % 4]))
    ax.set_ylim(0, 100)
    texts = F.label_line_ends(ax, ends)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = sorted((t.get_window_extent(renderer) for t in texts), key=lambda b: b.y0)
    for lower, upper in zip(boxes, boxes[1:], strict=False):
        assert lower.y1 <= upper.y0 + 0.5  # stacked, not overlapping
    by_height = [t.get_text() for t in sorted(texts, key=lambda t: t.get_position()[1])]
    assert by_height[0] == "series 3" and by_height[-1] == "series 4"
    assert all(t.get_color() == F.TEXT_DARK for t in texts)  # pale palette colours not as text


def test_interval_within_cuts_only_what_lies_beyond():
    assert F.interval_within(0.5, 0.1, 0.9, (0, 1)) == (0.1, 0.9, False, False)
    left, right, cut_low, cut_high = F.interval_within(0.5, -3, np.inf, (0, 1))
    assert (left, right, cut_low, cut_high) == (0, 1, True, True)
    assert F.interval_within(2.0, 1.5, 2.5, (0, 1)) == (1, 1, False, True)  # all beyond
    assert F.interval_within(0.5, np.nan, 0.7, (0, 1)) == (0.5, 0.7, False, False)  # no end


def test_shorten_and_wrap():
    assert F.shorten("short", 10) == "short"
    cut = F.shorten("a rather long item wording that goes on", 20)
    assert len(cut) <= 20 and cut.endswith("…") and " " not in cut[-2:]
    wrapped = F.wrap("one two three four five six seven", 10, max_lines=2)
    assert wrapped.count("\n") == 1 and wrapped.endswith("…")
