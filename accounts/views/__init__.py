"""The pages of accounts: home, passwords (change, reset), the profile, the second factor."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")
