"""A bridge's port use over a day against its capacity, for whoever may manage the bridge
(conferencing.jurisdiction.managed_bridges); any other bridge answers 404, as a missing
one. The numbers are conferencing.port_use's; the words and the picture's scale, here."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.timezone import localdate as today
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from conferencing import jurisdiction
from conferencing.charts import LineChart, line_chart
from conferencing.forms.bridges import UseDayForm
from conferencing.jurisdiction import may_manage_sites
from conferencing.port_use import SLOT, PortUse, port_use

# A label under the time axis every three hours.
LABEL_EVERY = timedelta(hours=3)


def grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


def use_chart(use: PortUse) -> tuple[LineChart, str]:
    """Legs in use as steps over the day, and the capacity as a flat line; the table
    lists each quarter-hour."""
    minutes = [index * SLOT.total_seconds() / 60 for index in range(len(use.slots))]
    # The last step is held to midnight, the end of the day's last quarter-hour.
    xs = [*minutes, 24 * 60.0]
    labels = [slot.strftime("%H:%M") for slot in use.slots] + ["24:00"]
    in_use = [*use.in_use, use.in_use[-1]]
    every = int(LABEL_EVERY.total_seconds() // 60)
    chart = line_chart(
        xs,
        labels,
        [
            ("in_use", _("Legs in use"), in_use),
            ("capacity", _("Ports (capacity)"), [use.capacity] * len(xs)),
        ],
        x_ticks=[(float(m), f"{m // 60:02d}:00") for m in range(0, 24 * 60 + 1, every)],
        step=True,
    )
    day = use.day.strftime("%d/%m/%Y")
    if use.peak_at is None:
        summary = _("No leg reserved on this bridge on %(day)s; it has %(capacity)s ports.") % {
            "day": day,
            "capacity": grouped(use.capacity),
        }
    else:
        summary = _(
            "Legs in use on %(day)s, by quarter-hour: at most %(peak)s at %(time)s, "
            "of %(capacity)s ports."
        ) % {
            "day": day,
            "peak": grouped(use.peak),
            "time": use.peak_at.strftime("%H:%M"),
            "capacity": grouped(use.capacity),
        }
    return chart, summary


@require_GET
@role_required(may_manage_sites)
def bridge_use(request: HttpRequest, bridge_id: int) -> HttpResponse:
    bridge = get_object_or_404(jurisdiction.managed_bridges(request.user), pk=bridge_id)
    # Unbound without ?day=: the field shows today, the day drawn.
    form = UseDayForm(request.GET if "day" in request.GET else None, initial={"day": today()})
    day = form.chosen_day()
    use = port_use(bridge, day)
    chart, summary = use_chart(use)
    return render(
        request,
        "conferencing/bridge_use.html",
        {
            "bridge": bridge,
            "form": form,
            "use": use,
            "chart": chart,
            "summary": summary,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )
