"""Production settings: refuse to start without SECRET_KEY, and pass `check --deploy` without warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _manage(*args, **env):
    dropped = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.update(DJANGO_SETTINGS_MODULE="wijkwerken.settings.production", DATABASE_URL="sqlite:////tmp/ww-deploy.db",
                **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True,
                          timeout=120)


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", ALLOWED_HOSTS="wijkwerken.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_check_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     SECRET_KEY="k9#Tq2!vZ8@pL4$wX7^nB1&mR5*cF3(hJ6)yD0_sG-uE+aQ=iO",
                     ALLOWED_HOSTS="wijkwerken.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_keeps_database_connections_with_a_health_check(monkeypatch):
    """Reconnecting on every request capped the throughput; production keeps connections for a minute."""
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "wijkwerken.example.org")
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    sys.modules.pop("wijkwerken.settings.production", None)
    production = importlib.import_module("wijkwerken.settings.production")
    try:
        assert production.DATABASES["default"]["CONN_MAX_AGE"] == 60
        assert production.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    finally:
        sys.modules.pop("wijkwerken.settings.production", None)
