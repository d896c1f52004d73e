"""The report's figure style and saving: SVG + PNG + a JSON sidecar with caption and alt text.

Style rules every figure follows (tested per figure family and over the demo's figures):
- Colour-blind-safe colours (Okabe–Ito), lines and edges no thinner than `MIN_LINE_PT`.
- Numbers on axes in the report language: `localise_numbers` replaces matplotlib's default tick
  formatters by `NumberFormatter` (decimal comma and non-breaking-space thousands in bokmål, via
  `impleval.fmt`), plain numbers on log axes too (never 10⁻¹ notation).
- Text at least `MIN_DISPLAY_PT` points as the report shows the figure: a PNG is shown at its
  natural size (one image pixel per CSS pixel) up to the width of the text column, so a figure
  wider than the column is scaled down. `display_scale` gives that factor; `font_report` the
  smallest text size after scaling, which `save_figure` records in the JSON sidecar.

Saving (`save_figure`) lays a figure out once (`lay_out`), freezes that layout and saves the SVG
and the PNG with the same explicit bounding box, so matplotlib draws each format only once.

Matplotlib is imported lazily (inside functions), so importing this module costs little.
"""

from __future__ import annotations

import math
import os
import textwrap
from pathlib import Path

from impleval import fmt
from impleval.outputs import atomic_path, write_json

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
# Line styles and markers that, with the colours, keep up to 32 series apart in greyscale too.
LINESTYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# Diverging pair for Likert bars (disagree ↔ agree), also colour-blind safe.
DIVERGING_5 = ["#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC"]
NOT_RELEVANT_GREY = "#8C8C8C"
TEXT_GREY = "#4D4D4D"  # secondary text: contrast 8:1 on white
TEXT_DARK = "#1A1A1A"

# --- How the report shows a figure ---------------------------------------------------------
# report/styles.css: `body { max-width: 54em }` at the browsers' default 16 px → a text column of
# 864 CSS px; images have `max-width: 100%`. A CSS pixel is 1/96 inch.
COLUMN_PX = 864
CSS_PX_PER_INCH = 96
SAVE_DPI = 150
PAD_INCHES = 0.1  # savefig.pad_inches around the tight bounding box
MIN_DISPLAY_PT = 9.0  # smallest text size as displayed (issue 12)
MIN_LINE_PT = 0.8  # no hairlines: thinnest line drawn (prints as ≥ 0.6 pt on A4)
# Width of a full-column figure: with texts ≥ FONT_SMALL they display ≥ MIN_DISPLAY_PT even when
# labels widen the saved image by a few tenths of an inch.
WIDTH_IN = 8.0
FONT_SMALL = 9.5  # tick labels, legends, cell annotations
FONT = 10.5  # axis labels
FONT_TITLE = 11.0  # panel titles


def use_report_style() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "impleval",  # stable SVG ids → identical files run to run
            "svg.fonttype": "path",
            "figure.dpi": 100,
            "savefig.dpi": SAVE_DPI,
            "savefig.bbox": "tight",
            "savefig.pad_inches": PAD_INCHES,
            "font.size": FONT,
            "axes.labelsize": FONT,
            "axes.titlesize": FONT_TITLE,
            "xtick.labelsize": FONT_SMALL,
            "ytick.labelsize": FONT_SMALL,
            "legend.fontsize": FONT_SMALL,
            "legend.title_fontsize": FONT_SMALL,
            "figure.titlesize": FONT_TITLE,
            "axes.linewidth": MIN_LINE_PT,
            "xtick.major.width": MIN_LINE_PT,
            "ytick.major.width": MIN_LINE_PT,
            "xtick.minor.width": MIN_LINE_PT,
            "ytick.minor.width": MIN_LINE_PT,
            "lines.linewidth": 1.5,
            "patch.linewidth": MIN_LINE_PT,
            "hatch.linewidth": MIN_LINE_PT,
            "grid.linewidth": MIN_LINE_PT,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.formatter.use_mathtext": False,
            "axes.unicode_minus": True,
            "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        }
    )


# --- Numbers on axes -----------------------------------------------------------------------


def _decimals(value: float, most: int = 6) -> int:
    """Fewest decimals that write `value` exactly (to 1e-9 relative), at most `most`."""
    for digits in range(most + 1):
        if abs(round(value, digits) - value) <= 1e-9 * max(1.0, abs(value)):
            return digits
    return most


def number_formatter(language: str, *, absolute: bool = False, per_tick: bool = False):
    """A matplotlib tick formatter writing plain numbers in the report language.

    Linear axes use one number of decimals for all visible ticks (0,5 1,0 1,5); `per_tick`
    (log axes) the fewest each tick needs (0,01 0,1 1 10). `absolute` drops the sign (the two
    halves of a diverging bar chart)."""
    from matplotlib.ticker import Formatter

    class NumberFormatter(Formatter):
        def __init__(self):
            self.digits = 0

        def set_locs(self, locs):
            super().set_locs(locs)
            visible = list(locs)
            if self.axis is not None and len(locs):
                low, high = sorted(self.axis.get_view_interval())
                slack = 1e-9 * max(1.0, abs(low), abs(high))
                visible = [v for v in locs if low - slack <= v <= high + slack] or list(locs)
            self.digits = max((_decimals(float(v)) for v in visible), default=0)

        def __call__(self, x, pos=None):
            x = float(x)
            if abs(x) < 1e-12:
                x = 0.0  # no "−0"
            if absolute:
                x = abs(x)
            digits = _decimals(x) if per_tick else self.digits
            return fmt.number(x, digits, language)

    return NumberFormatter()


def _log_locator(axis):
    """Major ticks for a log axis at 1-2-5 steps (or coarser) so that a short range still gets
    labelled ticks: matplotlib otherwise labels minor ticks in 10⁻¹ notation."""
    from matplotlib.ticker import LogLocator

    low, high = sorted(axis.get_view_interval())
    decades = math.log10(high / low) if low > 0 and high > 0 else 3.0
    if decades <= 0.7:
        subs = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0)
    elif decades <= 2.2:
        subs = (1.0, 2.0, 5.0)
    elif decades <= 3.5:
        subs = (1.0, 3.0)
    else:
        subs = (1.0,)
    return LogLocator(base=10.0, subs=subs, numticks=30)


def date_formatter(language: str):
    """Dates on an axis with numbers only (no month names in another language): years alone
    when every tick is on 1 January, else month and year, else the full date (the report's date
    style: 03.03.2025 in bokmål, 2025-03-03 in English)."""
    from matplotlib.dates import num2date
    from matplotlib.ticker import Formatter

    patterns = {
        "nb": ("%Y", "%m.%Y", "%d.%m.%Y"),
        "en": ("%Y", "%Y-%m", "%Y-%m-%d"),
    }[language]

    class DateFormatter(Formatter):
        pattern = patterns[2]

        def __init__(self):
            # Every layout pass and render formats the same few ticks again (on each axis of a
            # grid of shared date axes too), and num2date is slow: the pattern per set of ticks
            # and the text per tick are remembered.
            self._patterns: dict[tuple, str] = {}
            self._texts: dict[tuple, str] = {}

        def set_locs(self, locs):
            super().set_locs(locs)
            key = tuple(float(v) for v in locs)
            if key not in self._patterns:
                dates = [num2date(v) for v in key]
                if dates and all(d.month == 1 and d.day == 1 for d in dates):
                    self._patterns[key] = patterns[0]
                elif dates and all(d.day == 1 for d in dates):
                    self._patterns[key] = patterns[1]
                else:
                    self._patterns[key] = patterns[2]
            self.pattern = self._patterns[key]

        def __call__(self, x, pos=None):
            key = (float(x), self.pattern)
            if key not in self._texts:
                self._texts[key] = num2date(x).strftime(self.pattern)
            return self._texts[key]

    return DateFormatter()


def fix_date_ticks(axis) -> None:
    """Fix a date axis' major ticks at those its AutoDateLocator gives for the current view (call
    it once everything is plotted). That locator picks ticks from the date range alone, never
    from the axis' length, so these are the ticks every layout pass would get; fixed, its
    dateutil rule runs once instead of on each pass for each axis (a grid of shared date axes
    shares one locator, so one call fixes them all). Labels still come from `date_formatter`."""
    from matplotlib.dates import AutoDateLocator
    from matplotlib.ticker import FixedLocator

    locator = axis.get_major_locator()
    if isinstance(locator, AutoDateLocator):
        axis.set_major_locator(FixedLocator(locator()))


def localise_numbers(fig, language: str) -> None:
    """Every axis of `fig` that still has matplotlib's default number formatter (linear or log,
    colour bars included) gets `number_formatter`; log axes get 1-2-5 ticks and no minor labels;
    date axes get `date_formatter`. Axes with their own formatter (categories, fixed labels) are
    left alone."""
    from matplotlib.dates import AutoDateFormatter, ConciseDateFormatter
    from matplotlib.ticker import (
        LogFormatter,
        LogLocator,
        NullFormatter,
        ScalarFormatter,
    )

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            log = axis.get_scale() == "log"
            major = axis.get_major_formatter()
            if isinstance(major, ScalarFormatter | LogFormatter):
                if log and type(axis.get_major_locator()) is LogLocator:
                    axis.set_major_locator(_log_locator(axis))
                axis.set_major_formatter(number_formatter(language, per_tick=log))
            elif isinstance(major, AutoDateFormatter | ConciseDateFormatter):
                axis.set_major_formatter(date_formatter(language))
            if isinstance(axis.get_minor_formatter(), LogFormatter):
                axis.set_minor_formatter(NullFormatter())


# --- Text size as displayed ----------------------------------------------------------------


def display_scale(width_in: float) -> float:
    """Displayed size ÷ drawn size for a PNG `width_in` inches wide (saved at SAVE_DPI): the
    image shows at one CSS pixel per image pixel, no wider than the text column."""
    natural_px = width_in * SAVE_DPI
    shown_px = min(natural_px, COLUMN_PX)
    return shown_px / CSS_PX_PER_INCH / width_in


def lay_out(fig, *, freeze: bool = False):
    """Lay `fig` out once as `savefig` lays out the PNG (its layout engine, text measured at
    SAVE_DPI) and return the bounding box in inches that `savefig.bbox: tight` would save: the
    tight box padded by PAD_INCHES. With `freeze`, the layout engine is then removed, so that
    `savefig(bbox_inches=<that box>)` draws the figure only once per format (with the engine or
    with `bbox_inches='tight'`, matplotlib draws it a second time to lay it out).

    Only the layout engine runs (not a whole draw with the renderer disabled, as savefig's
    layout pass does): measuring the tight box places every axis, tick and text as a draw
    would, and the demo's images came out pixel-identical either way."""
    import matplotlib

    dpi = fig.dpi
    fig.set_dpi(SAVE_DPI)  # as print_figure does: text extents and layout at the saving dpi
    try:
        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)  # measures with the figure canvas' renderer at SAVE_DPI
        if freeze:
            _freeze_ticks(fig)
        bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(PAD_INCHES)
    finally:
        fig.set_dpi(dpi)
    if freeze and fig.get_layout_engine() is not None:
        # `set_layout_engine("none")` leaves a placeholder engine, which savefig still lays out
        # for; None removes the engine, as long as the rcParams do not ask for one by default.
        with matplotlib.rc_context(
            {"figure.autolayout": False, "figure.constrained_layout.use": False}
        ):
            fig.set_layout_engine(None)
    return bbox


def _freeze_ticks(fig) -> None:
    """Fix every axis' tick positions at those its locators give in the layout just made.

    The layout is frozen with them, so the views do not change any more; without this every
    later pass (the tight box, the SVG and the PNG render) runs each locator again, and date
    locators (dateutil rrules) are slow. Tick labels still come from the axis' formatter."""
    from matplotlib.ticker import FixedLocator, NullLocator

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            # Shared axes share one locator object: fixed once, for all of them (same view).
            if not isinstance(axis.get_major_locator(), FixedLocator | NullLocator):
                axis.set_major_locator(FixedLocator(axis.get_majorticklocs()))
            if not isinstance(axis.get_minor_locator(), FixedLocator | NullLocator):
                axis.set_minor_locator(FixedLocator(axis.get_minorticklocs()))


def saved_size_in(fig) -> tuple[float, float]:
    """(width, height) in inches of the image `savefig(bbox_inches='tight')` writes."""
    bbox = lay_out(fig)
    return bbox.width, bbox.height


def visible_texts(fig) -> list:
    """Every text artist that shows: visible, non-empty, and not in a hidden axes."""
    from matplotlib.text import Text

    out = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        out.append(text)
    return out


def tick_labels(fig) -> list[str]:
    """The text of every visible tick label (drawn figure), for checks of number formatting."""
    out = set()
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_ticklabels(minor=False) + axis.get_ticklabels(minor=True):
                if tick.get_visible() and tick.get_text().strip():
                    out.add(tick.get_text())
    return sorted(out)


def font_report(fig, bbox=None) -> dict:
    """Saved width and height (inches), display scale, the smallest text size as displayed
    (points, rounded down to 0.1 so a check never passes on rounding) and the tick labels.

    `bbox`: the box `lay_out` returned for the figure as it is drawn now (no second layout);
    without it the figure is laid out here."""
    if bbox is None:
        bbox = lay_out(fig)
    width, height = bbox.width, bbox.height
    scale = display_scale(width)
    sizes = [t.get_fontsize() for t in visible_texts(fig)]
    smallest = min(sizes) * scale if sizes else float("nan")
    return {
        "width_in": round(width, 2),
        "height_in": round(height, 2),
        "scale": round(scale, 3),
        "min_font_pt": math.floor(smallest * 10) / 10 if sizes else None,
        "ticks": tick_labels(fig),
    }


# --- Labels --------------------------------------------------------------------------------


def chars_per_line(width_in: float, fontsize: float = FONT_SMALL) -> int:
    """How many characters of an average sans-serif text fit in `width_in` inches (0.6 em per
    character: a safe upper bound for DejaVu Sans and the system sans fonts)."""
    return max(8, int(width_in * 72 / (0.6 * fontsize)))


def wrap(text: str, width: int, max_lines: int | None = None) -> str:
    """`text` wrapped at `width` characters; with `max_lines`, cut there with an ellipsis."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=True) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1].rstrip() if len(last) >= width else last.rstrip()) + "…"
    return "\n".join(lines)


def shorten(text: str, width: int) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `width`."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def label_line_ends(ax, ends, *, fontsize: float = FONT_SMALL) -> list:
    """Direct labels for line series: each `(x_end, y_end, label, colour[, linestyle])` (data
    coordinates of the line's last point) is written right of the axes at the height of that
    point, nudged apart so that no two labels overlap, with a leader in the series' colour and
    style from the point to the label (the text itself stays dark: light palette colours are too
    pale for text on white).

    Works in axes fractions, so it holds on log axes and survives later layout changes (heights
    are spread by 1.3 × the font size at the axes' current height). Matplotlib has no label
    placement of its own (the adjustText package repels in 2-D, which end labels do not need);
    this is a 1-D spread written here. Returns the text artists."""
    import numpy as np
    from matplotlib.lines import Line2D

    to_axes = ax.transAxes.inverted()
    rows = []
    for entry in ends:
        x_end, y_end, text, colour = entry[:4]
        style = entry[4] if len(entry) > 4 else "-"
        if y_end is None or not np.isfinite(y_end):
            continue
        x_frac, frac = to_axes.transform(ax.transData.transform((x_end, y_end)))
        rows.append((float(frac), text, colour, style, float(x_frac)))
    if not rows:
        return []
    rows.sort(key=lambda r: r[0])
    height_in = ax.get_position().height * ax.figure.get_figheight()
    n_lines = [str(r[1]).count("\n") + 1 for r in rows]
    gap = 1.3 * fontsize / 72 / max(height_in, 0.1)
    ys = [r[0] for r in rows]
    for i in range(1, len(ys)):  # push up
        ys[i] = max(ys[i], ys[i - 1] + gap * (n_lines[i] + n_lines[i - 1]) / 2)
    overflow = ys[-1] - 1.0
    if overflow > 0:  # shift down, then keep the gaps from the top
        ys[-1] -= overflow
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = min(ys[i], ys[i + 1] - gap * (n_lines[i] + n_lines[i + 1]) / 2)
    artists = []
    for y, (start, text, colour, style, x_start) in zip(ys, rows, strict=True):
        ax.add_line(
            Line2D(
                [x_start, 1.03, 1.07],
                [start, y, y],
                transform=ax.transAxes,
                color=colour,
                linestyle=style,
                linewidth=1.5,
                clip_on=False,
            )
        )
        artists.append(
            ax.text(
                1.08,
                y,
                text,
                transform=ax.transAxes,
                va="center",
                ha="left",
                fontsize=fontsize,
                color=TEXT_DARK,
                clip_on=False,
            )
        )
    return artists


def interval_within(est, low, high, limits) -> tuple[float, float, bool, bool]:
    """An interval's ends held to the axis `limits` (an infinite end counts as beyond; a missing
    one as no interval on that side), widened to reach the estimate where that is on the axis,
    and whether each end was cut. The caller marks a cut end with an arrow (`mark_clipped`) and
    says so in the caption."""
    lo_lim, hi_lim = limits
    est = float(est)

    def end(value, fallback):
        value = float("nan") if value is None else float(value)
        return fallback if math.isnan(value) else value

    low, high = end(low, est), end(high, est)
    if math.isnan(low) or math.isnan(high):  # no estimate and no end: nothing to draw
        low, high = min(max(0.0, lo_lim), hi_lim), min(max(0.0, lo_lim), hi_lim)
    cut_low, cut_high = low < lo_lim, high > hi_lim
    left, right = min(max(low, lo_lim), hi_lim), max(min(high, hi_lim), lo_lim)
    if math.isfinite(est):
        held = min(max(est, lo_lim), hi_lim)
        left, right = min(left, held), max(right, held)
    return left, right, cut_low, cut_high


def mark_clipped(ax, x: float, y: float, side: str, colour: str, size: float = 7.0) -> None:
    """An arrowhead at the axis limit `x` pointing out of the axes (`side`: 'low' or 'high'):
    the interval goes on beyond the axis."""
    ax.plot(x, y, "<" if side == "low" else ">", color=colour, ms=size, clip_on=False, zorder=4)


def message_figure(text: str):
    """A small figure holding only `text` (a figure the study's data or settings leave empty):
    every declared figure is still written, and says why it has nothing to show."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.0))
    ax.axis("off")
    ax.text(0.5, 0.5, wrap(text, chars_per_line(WIDTH_IN - 0.5, FONT)), ha="center", va="center")
    return fig


# --- Saving --------------------------------------------------------------------------------


def save_figure(
    fig,
    svg: str | os.PathLike,
    png: str | os.PathLike,
    meta: str | os.PathLike,
    *,
    caption: str,
    alt: str,
) -> None:
    """Write one figure as SVG and PNG plus JSON beside them: `{caption, alt, svg, png, display}`
    (`display`: `font_report`, how large the report shows the figure and its smallest text)."""
    import matplotlib.pyplot as plt

    if not caption.strip() or not alt.strip():
        raise ValueError(f"figure {Path(svg).name} needs both a caption and alt text")
    # One layout for the sidecar and both images (savefig would lay the figure out again for
    # each format, and font_report once more): the layout is frozen and the box passed explicitly.
    bbox = lay_out(fig, freeze=True)
    display = font_report(fig, bbox)
    with atomic_path(svg) as tmp:
        fig.savefig(tmp, format="svg", bbox_inches=bbox, metadata={"Date": None, "Creator": None})
    with atomic_path(png) as tmp:
        fig.savefig(tmp, format="png", bbox_inches=bbox, metadata={"Software": None})
    write_json(
        {
            "caption": caption,
            "alt": alt,
            "svg": Path(svg).name,
            "png": Path(png).name,
            "display": display,
        },
        meta,
    )
    plt.close(fig)


def save_named(fig, output, name: str, *, caption: str, alt: str) -> None:
    """Save figure `name` to the rule's named outputs `<name>_svg`, `<name>_png`, `<name>_json`
    (the names `figure_paths()` in workflow/rules/common.smk gives them)."""
    save_figure(
        fig,
        output[f"{name}_svg"],
        output[f"{name}_png"],
        output[f"{name}_json"],
        caption=caption,
        alt=alt,
    )
