from django.http import HttpRequest, HttpResponse


def endpoint_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
