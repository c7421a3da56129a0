"""The people pages of an office: the list, a person (their role, offices and sites,
and the actions on their account), inviting a person and assigning sites in bulk.

Only the superuser and an office's secretariat reach them (else 403); a person outside
what the user manages answers 404 exactly as a missing one (people.scope).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.names import full_name
from accounts.roles import Role
from conferencing.jurisdiction import OutsideJurisdiction
from people import changes, enrolment, lifecycle, roster, scope
from people.changes import ChangeRefused
from people.models import Invitation
from people.person_forms import AssignSitesForm, InviteForm, PeopleFilterForm, PersonForm
from people.scope import NotManaged, may_manage_people

PAGE_SIZE = 50


def managed(request: HttpRequest, person_id: int):
    try:
        return scope.managed_person(request.user, person_id)
    except NotManaged:
        raise Http404 from None


@require_GET
@role_required(may_manage_people)
def person_list(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET, user=request.user)
    page, rows = None, []
    if form.is_valid():
        data = form.cleaned_data
        people = roster.search(roster.roster(request.user), data["q"])
        if data["role"]:
            people = roster.with_role(people, Role(data["role"]))
        if data["office"]:
            people = roster.in_office(people, data["office"])
        if form.site is not None:
            people = roster.serving_within(people, form.site)
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = roster.rows(list(page.object_list))
    return render(request, "people/person_list.html", {"form": form, "page": page, "rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(may_manage_people)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = managed(request, person_id)
    directory = changes.from_directory(person)
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        person=person,
        directory=directory,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = changes.change_person(
                request.user,
                person,
                form.chosen_roles,
                form.cleaned_data["offices"],
                form.cleaned_data["sites"],
            )
        except (ChangeRefused, OutsideJurisdiction) as refused:
            form.add_error(
                None if refused.field == "__all__" else _field(refused.field), refused.message
            )
        else:
            if changed:
                messages.success(
                    request, _("The changes to %(name)s were saved.") % {"name": full_name(person)}
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("people:detail", person_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "directory": directory,
        "can_change_account": person.pk != request.user.pk,
        "lockout": lifecycle.lockout(person),
        "invitation": Invitation.objects.filter(user=person).first(),
        "offices_outside": person.offices.exclude(
            pk__in=scope.people_offices(request.user).values("pk")
        ).order_by("code"),
        "sites_outside": person.served_endpoints.exclude(
            pk__in=scope.people_sites(request.user).values("pk")
        ).count(),
    }
    return render(request, "people/person_detail.html", context)


def _field(name: str) -> str | None:
    return name if name in ("roles", "offices", "sites") else None


@require_http_methods(["GET", "POST"])
@role_required(may_manage_people)
def person_new(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        newcomer = enrolment.Newcomer(
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            username=data["username"],
            role=Role(data["role"]),
            offices=list(data["offices"]),
            sites=data["sites"],
        )
        try:
            person = enrolment.invite(request.user, newcomer)
        except (ChangeRefused, OutsideJurisdiction) as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request,
                _("%(name)s was added as %(username)s; an invitation is on its way to %(email)s.")
                % {
                    "name": full_name(person),
                    "username": person.get_username(),
                    "email": person.email,
                },
            )
            return redirect("people:detail", person_id=person.pk)
    suggestion = ""
    if form.is_bound and not form.data.get("username") and form.data.get("full_name"):
        suggestion = enrolment.suggest_username(form.data["full_name"], form.data.get("email", ""))
    return render(request, "people/person_new.html", {"form": form, "suggestion": suggestion})


@require_http_methods(["GET", "POST"])
@role_required(may_manage_people)
def assign_sites(request: HttpRequest) -> HttpResponse:
    form = AssignSitesForm(
        request.POST or None, user=request.user, initial={"site": request.GET.get("site", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = changes.assign_sites(
                request.user,
                data["site"],
                data["reach"],
                data["technicians"],
                level=data["level"],
                remove=data["remove"],
            )
        except OutsideJurisdiction as refused:
            form.add_error("site", refused.message)
        except NotManaged:
            form.add_error("technicians", _("Choose technicians you manage."))
        else:
            if data["remove"]:
                text = ngettext(
                    "%(count)d site link was removed.", "%(count)d site links were removed.", count
                )
            else:
                text = ngettext(
                    "%(count)d site link was added.", "%(count)d site links were added.", count
                )
            messages.success(request, text % {"count": count})
            return redirect("people:assign-sites")
    return render(request, "people/assign_sites.html", {"form": form})


@require_POST
@role_required(may_manage_people)
def person_invite(request: HttpRequest, person_id: int) -> HttpResponse:
    person = managed(request, person_id)
    try:
        enrolment.invite_again(request.user, person)
    except ChangeRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("A new invitation is on its way to %(email)s.") % {"email": person.email}
        )
    return redirect("people:detail", person_id=person.pk)


@require_POST
@role_required(may_manage_people)
def person_set_active(request: HttpRequest, person_id: int) -> HttpResponse:
    person = managed(request, person_id)
    name = full_name(person)
    if request.POST.get("active") == "1":
        try:
            lifecycle.reactivate(request.user, person)
        except ChangeRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("The account of %(name)s is active again.") % {"name": name}
            )
        return redirect("people:detail", person_id=person.pk)
    try:
        lifecycle.deactivate(request.user, person)
    except ChangeRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("%(name)s was deactivated and signed out everywhere.") % {"name": name}
        )
    return redirect("people:detail", person_id=person.pk)


@require_POST
@role_required(may_manage_people)
def person_unlock(request: HttpRequest, person_id: int) -> HttpResponse:
    person = managed(request, person_id)
    if lifecycle.unlock(request.user, person):
        messages.success(
            request, _("The sign-in lockout of %(name)s was lifted.") % {"name": full_name(person)}
        )
    else:
        messages.info(
            request, _("%(name)s had no failed sign-ins to forget.") % {"name": full_name(person)}
        )
    return redirect("people:detail", person_id=person.pk)
