"""Blueprint: dataset."""

from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("dataset", __name__)


@blueprint.route("/download/")
def downloads() -> str:
    return render_template("base.html", title="Downloads")


@blueprint.route("/def")
def ontology() -> str:
    return render_template("base.html", title="Ontology")
