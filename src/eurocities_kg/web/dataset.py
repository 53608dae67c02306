"""Blueprint: dataset."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("dataset", __name__)
