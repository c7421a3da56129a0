# The application image: Daphne (web), the task worker and the one-shot migrate job
# all run it, through bin/run, as `make run` does (docker-compose.yml).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var \
    BIND=0.0.0.0 \
    PORT=8000

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
# (pyproject.toml declares no package: this installs the dependencies only.)
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# Static files are collected at build time (WhiteNoise serves them from the image).
# The key only satisfies the settings' check during the build; it is never used.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin giaoban \
    && mkdir -p /app/var/media \
    && chown -R giaoban /app/var

USER giaoban
EXPOSE 8000
CMD ["bin/run", "web"]
