"""Running the app under gunicorn, a production WSGI server: one process per worker, each with its
own read-only handle on the store."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from .settings import Settings


class PublisherServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any] | None = None) -> None:
        self.settings = settings
        self.options = {
            "bind": f"{settings.host}:{settings.port}",
            "workers": settings.workers,
            "worker_class": "gthread",
            "threads": 4,
            "preload_app": False,  # each worker opens the store itself, after the fork
            "accesslog": "-",
            "timeout": 60,
            **(options or {}),
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from .web import create_app

        return create_app(self.settings)


def serve(settings: Settings, options: dict[str, Any] | None = None) -> None:
    PublisherServer(settings, options).run()
