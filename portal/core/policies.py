"""Access policies: every view declares one, and a structure test checks they all do."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.kept_input import keep_posted_page

View = TypeVar("View", bound=Callable[..., Any])

POLICY_ATTRIBUTE = "access_policy"


def _tag(view: Callable[..., Any], name: str) -> None:
    setattr(view, POLICY_ATTRIBUTE, name)


def public(view: View) -> View:
    """Anyone may call this view, signed in or not."""
    _tag(view, "public")
    return view


def _to_login() -> Any:
    """Send the caller to sign in, then back to the page they were on."""
    if request.method == "GET":
        target = request.full_path.rstrip("?")
    elif keep_posted_page():
        # A page of answers was sent without a session: keep it and come back to it.
        flash(_("Your session had ended. Sign in again: what you typed on the page is kept."))
        target = request.path
    else:
        # A form was posted: come back to the page that showed the form, not to the POST URL.
        referrer = urlsplit(request.referrer or "")
        same_site = referrer.netloc == request.host
        target = (
            referrer.path + (f"?{referrer.query}" if referrer.query else "") if same_site else ""
        )
    return redirect(url_for("accounts.login", next=target or None))


def signed_in(view: View) -> View:
    """The caller must be signed in; others are sent to the login page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _to_login()
        return view(*args, **kwargs)

    _tag(wrapper, "signed_in")
    return wrapper  # type: ignore[return-value]


def tenant_staff(view: View) -> View:
    """The caller must hold a staff role in the tenant named by ``tenant_slug``.

    The tenant and the caller's roles there are put on ``g`` for the view and for
    object-level checks (an application must belong to ``g.tenant``).
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from portal.tenants.queries import staff_roles, tenant_by_slug

        if not current_user.is_authenticated:
            return _to_login()
        tenant = tenant_by_slug(kwargs["tenant_slug"])
        roles = staff_roles(current_user, tenant) if tenant else frozenset()
        if tenant is None or not roles:
            abort(403)
        g.tenant, g.staff_roles = tenant, roles
        return view(*args, **kwargs)

    _tag(wrapper, "tenant_staff")
    return wrapper  # type: ignore[return-value]


def _tenant_role(name: str, allowed: frozenset[str]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        staff_view = tenant_staff(view)

        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            # tenant_staff signs in, loads the tenant and sets g; the role is checked first.
            return staff_view(*args, **kwargs) if _has_role(kwargs, allowed) else abort(403)

        _tag(wrapper, name)
        return wrapper  # type: ignore[return-value]

    return decorate


def _has_role(kwargs: dict[str, Any], allowed: frozenset[str]) -> bool:
    from portal.tenants.queries import staff_roles, tenant_by_slug

    if not current_user.is_authenticated:
        return True  # tenant_staff sends them to sign in
    tenant = tenant_by_slug(kwargs["tenant_slug"])
    return tenant is None or bool(staff_roles(current_user, tenant) & allowed)


#: The tenant administrator (管理者): the tenant's set-up, staff and every procedure.
tenant_admin = _tenant_role("tenant_admin", frozenset({"admin"}))
#: Procedure owners (手続所管) and administrators: the procedure builder. Which
#: procedures an owner may edit (their departments') is checked per object.
procedure_builder = _tenant_role("procedure_builder", frozenset({"admin", "owner"}))


def development_only(view: View) -> View:
    """Only available when PORTAL_ENV=development (e.g. the mail outbox viewer)."""
    from flask import current_app

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_app.config["PORTAL_DEVELOPMENT"]:
            abort(404)
        return view(*args, **kwargs)

    _tag(wrapper, "development_only")
    return wrapper  # type: ignore[return-value]
