"""Every route declares who may call it."""

from __future__ import annotations

from flask import Flask

from portal.core.policies import POLICY_ATTRIBUTE

KNOWN = {
    "public",
    "signed_in",
    "tenant_staff",
    "tenant_admin",
    "procedure_builder",
    "development_only",
}


def test_every_route_declares_an_access_policy(app: Flask) -> None:
    missing, unknown = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        policy = getattr(app.view_functions[rule.endpoint], POLICY_ATTRIBUTE, None)
        if policy is None:
            missing.append(rule.rule)
        elif policy not in KNOWN:
            unknown.append((rule.rule, policy))
    assert missing == [] and unknown == []


def test_state_changing_routes_are_never_get(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if any(word in rule.rule for word in ("/act", "/start/", "/logout", "/retry")):
            assert "GET" not in (rule.methods or set()), rule.rule


def test_staff_routes_are_tenant_scoped(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff/<"):
            policy = getattr(app.view_functions[rule.endpoint], POLICY_ATTRIBUTE)
            assert policy in ("tenant_staff", "tenant_admin", "procedure_builder"), rule.rule
