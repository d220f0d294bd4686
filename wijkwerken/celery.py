import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerken.settings.local")

app = Celery("wijkwerken")
# Every Celery setting lives in Django settings under the CELERY_ prefix (see settings/base.py).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
