# One image for the web server, the Celery worker, beat and the one-shot
# migrate step; docker-compose.yml chooses the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/var/lib/commons

# gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin commons \
    && mkdir -p /var/lib/commons/static /var/lib/commons/media /var/lib/beat \
    && chown -R commons:commons /var/lib/commons /var/lib/beat

WORKDIR /app
COPY . .

# Editable on purpose: settings find templates, catalogues, static files and
# the region tables next to the source (BASE_DIR), and the wheel built by a
# plain install carries only the Python modules.
RUN pip install -e . \
    && if find . -path ./.venv -prune -o -name '*.po' -print | grep -q .; then \
        python manage.py compilemessages --ignore=.venv; \
    fi

# The code stays owned by root: the server cannot rewrite itself.
USER commons
EXPOSE 8000
CMD ["gunicorn", "commons.wsgi:application", "--bind", "0.0.0.0:8000"]
