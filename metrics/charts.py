"""Small charts drawn as inline SVG on the server; no script is needed.

Every text placed in the SVG is escaped here; the numbers are formatted by
the caller's ``label`` function so that they follow the reader's language.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 34
# The efficiency chart is a square plot with room for its axis titles.
SQUARE_LEFT, SQUARE_TOP, SQUARE_SIZE = 40, 30, 220
GAP_CLASSES = {"none": "efficient", "scale": "scale-gap", "technical": "technical-gap"}


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None


@dataclass(frozen=True)
class UnitPoint:
    name: str
    pure_technical: float
    scale: float
    gap: str


def line_chart(
    points: Sequence[Point], *, title: str, label: Callable[[float], str]
) -> SafeString:
    """A line over time; a missing value breaks the line."""
    values = [point.value for point in points if point.value is not None]
    top = max(values, default=0.0) or 1.0
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return LEFT + index * step

    def y(value: float) -> float:
        return TOP + plot_height * (1 - value / top)

    parts = [_open(title), _y_axis(top, y, label)]
    segment: list[str] = []
    for index, point in enumerate(points):
        if point.value is None:
            parts.append(_polyline(segment))
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(point.value):.1f}")
        parts.append(
            f'<circle cx="{x(index):.1f}" cy="{y(point.value):.1f}" r="3">'
            f"<title>{escape(point.label)}: {escape(label(point.value))}</title>"
            "</circle>"
        )
    parts.append(_polyline(segment))
    parts.append(_x_labels(points, x))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def efficiency_chart(
    units: Sequence[UnitPoint], *, title: str, x_title: str, y_title: str
) -> SafeString:
    """Pure technical against scale efficiency, one dot a unit.

    Below the diagonal the scale loss is the larger one, above it the loss
    from how resources are used; efficient units sit in the top right corner.
    """
    lowest = min(
        [unit.pure_technical for unit in units] + [unit.scale for unit in units],
        default=0.0,
    )
    bottom = max(0.0, int(lowest * 10) / 10)
    span = 1.0 - bottom or 1.0
    left, top, size = SQUARE_LEFT, SQUARE_TOP, SQUARE_SIZE

    def x(value: float) -> float:
        return left + size * (value - bottom) / span

    def y(value: float) -> float:
        return top + size * (1 - (value - bottom) / span)

    parts = [
        _open(title, width=left + size + RIGHT, height=top + size + BOTTOM + 10),
        f'<rect class="frame" x="{left}" y="{top}" width="{size}" height="{size}"/>',
        f'<line class="diagonal" x1="{x(bottom):.1f}" y1="{y(bottom):.1f}" '
        f'x2="{x(1.0):.1f}" y2="{y(1.0):.1f}"/>',
        _text(left + size / 2, top + size + 36, x_title, "middle"),
        _text(4, top - 12, y_title, "start"),
        _text(left - 6, top + size + 4, f"{bottom:.1f}", "end"),
        _text(left - 6, top + 4, "1.0", "end"),
        _text(left, top + size + 16, f"{bottom:.1f}", "middle"),
        _text(left + size, top + size + 16, "1.0", "middle"),
    ]
    for unit in units:
        parts.append(
            f'<circle class="{GAP_CLASSES.get(unit.gap, "")}" '
            f'cx="{x(unit.pure_technical):.1f}" cy="{y(unit.scale):.1f}" r="5">'
            f"<title>{escape(unit.name)}: {unit.pure_technical:.3f} / "
            f"{unit.scale:.3f}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _open(title: str, width: float = WIDTH, height: float = HEIGHT) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    )


def _y_axis(top: float, y: Callable[[float], float], label: Callable) -> str:
    lines = []
    for value in (0.0, top / 2, top):
        lines.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
        )
        lines.append(_text(LEFT - 4, y(value) + 4, label(value), "end"))
    return "".join(lines)


def _x_labels(points: Sequence[Point], x: Callable[[int], float]) -> str:
    if not points:
        return ""
    # First, middle and last: more would overlap on a phone.
    shown = sorted({0, len(points) // 2, len(points) - 1})
    anchors = {0: "start", len(points) - 1: "end"}
    return "".join(
        _text(
            x(index),
            HEIGHT - BOTTOM + 16,
            points[index].label,
            anchors.get(index, "middle"),
        )
        for index in shown
    )


def _polyline(coordinates: list[str]) -> str:
    if len(coordinates) < 2:
        return ""
    return f'<polyline points="{" ".join(coordinates)}"/>'


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'
