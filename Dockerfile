# syntax=docker/dockerfile:1.7
# One image per service from this one file:
#   docker build --build-arg SERVICE=funding -t inclusion/funding .
# SERVICE is one of funding, placements, reviews, feedback, monitoring (each `services/<SERVICE>`, console
# script `inclusion-<SERVICE>`). Dependencies come from uv.lock exactly (`--locked`).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
ARG UV_VERSION=0.13.9
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<name>" >&2; exit 1; }
# The same way the Makefile gets uv: from PyPI.
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src

# Third-party dependencies first, from the lock file and the members' pyproject.toml alone,
# so this layer is rebuilt only when they change. uv needs every workspace member's
# pyproject.toml to check the lock, even those this service does not install.
COPY pyproject.toml uv.lock ./
COPY shared/pyproject.toml shared/
COPY cli/pyproject.toml cli/
COPY services/funding/pyproject.toml services/funding/
COPY services/placements/pyproject.toml services/placements/
COPY services/reviews/pyproject.toml services/reviews/
COPY services/feedback/pyproject.toml services/feedback/
COPY services/monitoring/pyproject.toml services/monitoring/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-install-workspace --package "inclusion-${SERVICE}"

# Then the shared kit and this service, installed as wheels (not editable): the runtime stage
# copies the virtual environment alone.
COPY shared/ shared/
COPY services/${SERVICE}/ services/${SERVICE}/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-editable --package "inclusion-${SERVICE}" \
 && ln -s "inclusion-${SERVICE}" /app/.venv/bin/inclusion-service


FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="inclusion-${SERVICE}" \
      org.opencontainers.image.description="Inclusion ${SERVICE} service"
RUN groupadd --system --gid 10001 inclusion \
 && useradd --system --uid 10001 --gid inclusion --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin inclusion
COPY --from=build /app/.venv /app/.venv
# Where keys are mounted (docker-compose initialises its key volume from this directory, so the
# volume belongs to the service user).
RUN install -d -o 10001 -g 10001 -m 0700 /var/lib/inclusion/keys
# Listen on every interface inside the container; the settings' default is loopback only.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8000
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# Ready = PostgreSQL and Kafka answer. urllib raises on a non-2xx answer, so no curl is needed.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('HTTP_PORT', '8000') + '/health/ready', timeout=4)"]
ENTRYPOINT ["/app/.venv/bin/inclusion-service"]
