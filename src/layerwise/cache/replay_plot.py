"""The per-commit chart of `replay --plot`: one group of bars per commit, one bar per variant
(before/after), its height the estimated build seconds (or the steps rebuilt, without costs).

SVG is written directly (a bar chart needs no library). PNG is drawn with Pillow, an optional
dependency (`pip install 'layerwise[plot]'`) imported only here: a pure-wheel package of a few
MB, against matplotlib's tens of MB with numpy, or plotly, whose image export (kaleido) needs a
Chrome it downloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from layerwise.errors import LayerwiseError

COLOURS = ("#c0392b", "#2471a3", "#239b56", "#7d3c98")
WIDTH, HEIGHT = 900, 360
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 40, 70


@dataclass(frozen=True, slots=True)
class Chart:
    """Values per commit (rows) and variant (columns)."""

    title: str
    unit: str  # "s" or "steps"
    commits: tuple[str, ...]  # short labels, oldest first
    variants: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]  # values[commit][variant]


@dataclass(frozen=True, slots=True)
class _Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str


def _layout(chart: Chart) -> tuple[list[_Bar], float]:
    top = max((v for row in chart.values for v in row), default=0.0) or 1.0
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(chart.commits), 1)
    bar_w = group * 0.8 / max(len(chart.variants), 1)
    bars = []
    for i, row in enumerate(chart.values):
        for j, value in enumerate(row):
            height = plot_h * value / top
            bars.append(
                _Bar(
                    LEFT + i * group + group * 0.1 + j * bar_w,
                    TOP + plot_h - height,
                    bar_w,
                    height,
                    COLOURS[j % len(COLOURS)],
                )
            )
    return bars, top


def svg(chart: Chart) -> str:
    bars, top = _layout(chart)
    group = (WIDTH - LEFT - RIGHT) / max(len(chart.commits), 1)
    base = HEIGHT - BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="20" font-size="14">{escape(chart.title)}</text>',
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="black"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="black"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top:g} {chart.unit}</text>',
        f'<text x="{LEFT - 6}" y="{base + 4}" text-anchor="end">0</text>',
    ]
    for bar in bars:
        out.append(
            f'<rect x="{bar.x:.1f}" y="{bar.y:.1f}" width="{bar.width:.1f}" '
            f'height="{bar.height:.1f}" fill="{bar.colour}"/>'
        )
    for i, label in enumerate(chart.commits):
        x = LEFT + (i + 0.5) * group
        out.append(
            f'<text x="{x:.1f}" y="{base + 12}" text-anchor="end" '
            f'transform="rotate(-45 {x:.1f} {base + 12})">{escape(label)}</text>'
        )
    for j, name in enumerate(chart.variants):
        x = WIDTH - RIGHT - 200
        y = 14 + j * 14
        out.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[j % len(COLOURS)]}"/>'
        )
        out.append(f'<text x="{x + 14}" y="{y}">{escape(name)}</text>')
    out.append("</svg>\n")
    return "\n".join(out)


def png(chart: Chart, path: Path) -> None:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        raise LayerwiseError(
            "a PNG plot needs Pillow (pip install 'layerwise[plot]'); or plot to a .svg file",
            path=str(path),
        ) from None
    bars, top = _layout(chart)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=11)
    base = HEIGHT - BOTTOM
    draw.text((LEFT, 8), chart.title, fill="black", font=ImageFont.load_default(size=14))
    draw.line([(LEFT, base), (WIDTH - RIGHT, base)], fill="black")
    draw.line([(LEFT, TOP), (LEFT, base)], fill="black")
    draw.text((LEFT - 6, TOP), f"{top:g} {chart.unit}", fill="black", font=font, anchor="rm")
    draw.text((LEFT - 6, base), "0", fill="black", font=font, anchor="rm")
    for bar in bars:
        if bar.height > 0:
            draw.rectangle(
                [bar.x, bar.y, bar.x + bar.width, base], fill=bar.colour, outline=bar.colour
            )
    group = (WIDTH - LEFT - RIGHT) / max(len(chart.commits), 1)
    # Numbers, not hashes: Pillow draws no rotated text, and 20 hashes side by side overlap.
    for i in range(len(chart.commits)):
        x = LEFT + (i + 0.5) * group
        draw.text((x, base + 6), str(i + 1), fill="black", font=font, anchor="mt")
    draw.text(
        (LEFT, base + 30), "commits, oldest (1) to newest", fill="black", font=font, anchor="lt"
    )
    for j, name in enumerate(chart.variants):
        x, y = WIDTH - RIGHT - 200, 6 + j * 14
        draw.rectangle([x, y, x + 10, y + 10], fill=COLOURS[j % len(COLOURS)])
        draw.text((x + 14, y), name, fill="black", font=font)
    image.save(path, format="PNG")


def write_plot(chart: Chart, path: Path) -> None:
    """Write the chart to `path`: SVG or PNG by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        try:
            path.write_text(svg(chart), encoding="utf-8")
        except OSError as exc:
            raise LayerwiseError(f"cannot write the plot: {exc.strerror}", path=str(path)) from None
    elif suffix == ".png":
        png(chart, path)
    else:
        raise LayerwiseError("--plot writes a .svg or a .png file", path=str(path))
