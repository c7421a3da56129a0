"""Chart geometry (conferencing.charts): numbers in, SVG coordinates out."""

import pytest

from conferencing.charts import line_chart, nice_ceiling, stacked_bars, tick_values

SERIES = (("on_time", "On time"), ("late", "Late"), ("never", "Never"))


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (120, 200), (3356, 5000)],
)
def test_nice_ceiling_is_the_next_round_number(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_tick_values_step_evenly_from_zero_to_the_top():
    assert tick_values(5000) == [0, 1000, 2000, 3000, 4000, 5000]
    assert tick_values(2) == [0, 1, 2]
    assert tick_values(1) == [0, 1]


def test_stacked_bars_lay_segments_side_by_side_on_one_scale():
    chart = stacked_bars(
        [("Hà Nội", (6, 3, 1)), ("Huế", (2, 0, 3))],
        SERIES,
        width=300,
        label_width=80,
        total_width=20,
        row_height=20,
        bar_height=10,
    )

    assert chart.top == 10
    assert chart.plot_left == 80
    assert chart.plot_width == 200
    first, second = chart.bars
    assert [(s.series, s.value, s.x, s.width) for s in first.segments] == [
        ("on_time", 6, 80, 120),
        ("late", 3, 200, 60),
        ("never", 1, 260, 20),
    ]
    assert first.end == 280
    assert first.total == 10
    assert first.y == 5
    assert second.y == 25
    # A zero value draws nothing: the late segment of Huế is absent.
    assert [(s.series, s.x, s.width) for s in second.segments] == [
        ("on_time", 80, 40),
        ("never", 120, 60),
    ]
    assert second.values == (2, 0, 3)
    assert [(t.value, t.position) for t in chart.ticks] == [
        (0, 80),
        (2, 120),
        (4, 160),
        (6, 200),
        (8, 240),
        (10, 280),
    ]
    assert chart.axis_y == 40
    assert chart.height == 60


def test_stacked_bars_with_nothing_draw_an_empty_scale():
    chart = stacked_bars([("Trống", (0, 0, 0))], SERIES)

    assert chart.top == 1
    assert chart.bars[0].segments == ()
    assert chart.bars[0].end == chart.plot_left


def test_stacked_bars_refuse_a_row_with_the_wrong_number_of_values():
    with pytest.raises(ValueError, match="2 values for 3 series"):
        stacked_bars([("Hà Nội", (1, 2))], SERIES)


def test_stacked_bars_refuse_a_negative_value():
    with pytest.raises(ValueError, match="negative"):
        stacked_bars([("Hà Nội", (1, -2, 0))], SERIES)


def chart_of(values, **options):
    return line_chart(
        [0, 10, 20, 30],
        ["07:00", "07:10", "07:20", "07:30"],
        [("ready", "Ready", values)],
        width=176,
        height=140,
        **options,
    )


def test_a_line_goes_through_its_points_on_the_value_scale():
    chart = chart_of([0, 5, 10, 10])

    # The plot runs from x 48 to 136 and from y 112 (0) up to 12 (the top, 10).
    assert chart.top == 10
    assert chart.lines[0].runs == ("48,112 77.33,62 106.67,12 136,12",)
    assert [(t.value, t.position) for t in chart.y_ticks] == [
        (0, 112),
        (2, 92),
        (4, 72),
        (6, 52),
        (8, 32),
        (10, 12),
    ]
    assert chart.rows == (
        ("07:00", (0,)),
        ("07:10", (5,)),
        ("07:20", (10,)),
        ("07:30", (10,)),
    )


def test_a_step_line_holds_each_value_until_the_next_x():
    chart = chart_of([0, 5, 5, 10], step=True)

    assert chart.lines[0].runs == ("48,112 77.33,112 77.33,62 106.67,62 136,62 136,12",)


def test_an_unknown_value_breaks_the_line_and_has_no_dot():
    chart = chart_of([4, None, 6, 8], top=10, dots=True)

    assert chart.lines[0].runs == ("48,72", "106.67,52 136,32")
    assert chart.lines[0].dots == ((48, 72), (106.67, 52), (136, 32))
    assert chart.rows[1] == ("07:10", (None,))


def test_ticks_and_moments_outside_the_x_range_are_left_out():
    chart = chart_of(
        [1, 2, 3, 4],
        x_ticks=[(0, "07:00"), (30, "07:30"), (45, "07:45")],
        moments=[(15, "Start"), (-5, "Before")],
    )

    assert [(t.label, t.position) for t in chart.x_ticks] == [("07:00", 48), ("07:30", 136)]
    assert [(m.label, m.position) for m in chart.moments] == [("Start", 92)]


def test_a_given_top_fixes_the_scale():
    chart = chart_of([50, 75, 100, 25], top=100)

    assert [t.value for t in chart.y_ticks] == [0, 20, 40, 60, 80, 100]
    assert chart.lines[0].runs == ("48,62 77.33,37 106.67,12 136,87",)


def test_a_line_refuses_x_values_out_of_order():
    with pytest.raises(ValueError, match="increase"):
        line_chart([0, 0], ["a", "b"], [("ready", "Ready", [1, 2])])


def test_a_line_refuses_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="1 values for 2 x values"):
        line_chart([0, 1], ["a", "b"], [("ready", "Ready", [1])])
