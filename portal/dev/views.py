"""Development helpers: read the mail the portal would have sent."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from portal.core.mail import read_outbox
from portal.core.policies import development_only

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.route("/mail")
@development_only
def mail() -> str:
    """List the messages in the outbox folder, newest first."""
    return render_template("dev/mail.html", messages=read_outbox())


@bp.route("/mail/<name>")
@development_only
def message(name: str) -> str:
    """Show one message of the outbox."""
    found = next((m for n, m in read_outbox() if n == name), None)
    if found is None:
        abort(404)
    return render_template("dev/message.html", name=name, message=found)
