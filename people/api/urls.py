"""The people API; config/urls.py mounts it under /api/v1/ (namespace people-api)."""

from django.urls import path

from people.api import imports, offices, tokens

app_name = "people-api"

urlpatterns = [
    path("people/imports/", imports.PeopleImportsView.as_view(), name="imports"),
    path("people/imports/<int:pk>/", imports.PeopleImportView.as_view(), name="import"),
    path("offices/", offices.OfficeList.as_view(), name="offices"),
    path("offices/<int:pk>/people/", offices.OfficePeopleList.as_view(), name="office-people"),
    *tokens.router.urls,
]
