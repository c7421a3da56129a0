from django.urls import path

from workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.year_page, name="year"),
    path("announce/", views.announce, name="announce"),
    path("remove/", views.withdraw, name="remove"),
    path("import/", views.import_csv, name="import"),
]
