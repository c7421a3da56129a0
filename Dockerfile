# The application image: Daphne (web), the task worker and the one-shot migrate job
# all run it, through bin/run, as `make run` does (docker-compose.yml).
#
# Two stages: python-ldap (LDAP sign-in) has no wheel for Python 3.13 and is compiled
# from source against OpenLDAP's and Cyrus SASL's headers, which only the build stage
# carries; the runtime stage has the shared libraries it links to. The Debian release is
# named so that those libraries' package names (libldap-2.5-0 in bookworm) hold.
FROM python:3.13-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libldap2-dev libsasl2-dev \
    && rm -rf /var/lib/apt/lists/*

# Dependencies only (pyproject.toml declares no package), into a venv the runtime copies.
COPY pyproject.toml README.md /src/
RUN python -m venv /opt/venv && /opt/venv/bin/pip install /src


FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    VAR_DIR=/app/var \
    BIND=0.0.0.0 \
    PORT=8000

# What python-ldap links to (libldap pulls libsasl2-2 in); WeasyPrint's pango and the
# serif font of the official documents (meetings/official/render.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libldap-2.5-0 libsasl2-2 \
       libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY . .
# Static files are collected at build time (WhiteNoise serves them from the image).
# The key only satisfies the settings' check during the build; it is never used.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && python -c "import ldap, django_auth_ldap.backend" \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin giaoban \
    && mkdir -p /app/var/media \
    && chown -R giaoban /app/var

USER giaoban
EXPOSE 8000
CMD ["bin/run", "web"]
