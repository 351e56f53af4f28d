# hanno on a server. `docker compose up` (compose.yaml) runs it beside PostgreSQL; alone:
#   docker build -t hanno . && docker run --env-file hanno.env -v ./config.toml:/srv/hanno/config.toml:ro hanno
# Secrets (DISCORD_TOKEN, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, PGPASSWORD or
# HANNO_DATABASE_URL) are passed in the environment when the container starts; none is baked in.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The code lives in /app (owned by root, read-only for the bot); the bot runs as `hanno` in
# /srv/hanno, where its config, health file and (without PostgreSQL) SQLite file are.
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
# The README's install command.
RUN python3 -m venv .venv && .venv/bin/pip install -e .
ENV PATH=/app/.venv/bin:$PATH

RUN useradd --system --create-home --home-dir /srv/hanno --uid 10001 hanno
USER hanno
WORKDIR /srv/hanno
# Slack HTTP mode (`[slack] mode = "http"`) serves /slack/events and /healthz here.
EXPOSE 3000

# Store and platform connections: the running bot's report plus a check of the store.
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 CMD ["hanno", "health"]
ENTRYPOINT ["hanno", "run"]
