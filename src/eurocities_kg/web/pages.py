"""Blueprint: pages."""

from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("pages", __name__)


@blueprint.route("/")
def index() -> str:
    return render_template("base.html", title="eurocities-kg")
