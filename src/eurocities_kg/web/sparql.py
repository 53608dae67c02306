"""Blueprint: sparql."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("sparql", __name__)
