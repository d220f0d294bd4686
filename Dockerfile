# Production image: gunicorn serves Django; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=wijkwerken.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core gettext curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir uv && uv pip install --system --no-cache -r requirements.lock
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# collectstatic needs a key to import settings; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
 && python manage.py compilemessages --ignore=node_modules
RUN useradd --create-home --uid 1000 wijkwerken && mkdir -p /app/media && chown wijkwerken /app/media
USER wijkwerken
EXPOSE 8000
CMD ["gunicorn", "wijkwerken.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
