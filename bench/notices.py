"""Benchmark: render-and-seal time per notice, next to WeasyPrint rendering the same HTML.

Run: .venv/bin/python bench/notices.py [--count 20] [--limit 50]

Builds the portal on a temporary SQLite database with the demo data (and its demo seals),
walks ``--count`` parking-permit applications through the real views to a decision (every
third one refused, so both the decision and the refusal templates with 教示 are printed),
holding back the notice jobs the decisions queue. Then, for each notice in turn:

- plain: WeasyPrint prints the notice's HTML (the same template and values) to PDF,
  nothing else: the cost any PDF of this page would have;
- job: the whole ``render_notice`` job as a worker runs it (load the rows, collect the
  values, render the template, print, seal with PAdES, store the file, commit).

Reports the medians, the job's parts (template, print, seal, store and commit), notices
per minute for one worker process, and the job's overhead over plain printing. Target:
sealing and the pipeline add at most ``--limit`` per cent; exits with status 1 above it.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "madoguchi-demo"  # noqa: S105  (the demo logins' published password)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PAGES = (
    ("applicant", {"name": "𠮷野 髙子", "birth_date": "令和元年5月1日"}),
    ("eligibility", {"reason": "pregnancy", "copies": "1", "note": "ベンチマーク"}),
)


def _login(client: Any, email: str) -> None:
    client.post("/account/logout")
    client.post("/account/login", data={"email": email, "password": PASSWORD})


def _decide(app: Any, client: Any, outcome: str) -> None:
    """Apply for the parking permit as the demo resident and have it decided."""
    from portal.applications.models import Application
    from portal.extensions import db

    _login(client, "resident@example.jp")
    url = client.post("/applications/start/midori-pref/accessible-parking").headers["Location"]
    for _, values in PAGES:
        url = client.post(url, data=values).headers["Location"]
    proof = {"proof": (io.BytesIO(PDF), "母子健康手帳.pdf")}
    url = client.post(url, data=proof, content_type="multipart/form-data").headers["Location"]
    client.post(url)
    ident = int(re.search(r"/applications/(\d+)", url).group(1))  # type: ignore[union-attr]
    for email, action in (
        ("reviewer@pref.example.jp", "pass"),
        ("approver@pref.example.jp", outcome),
    ):
        _login(client, email)
        with app.app_context():
            version = db.session.get(Application, ident).lock_version  # type: ignore[union-attr]
        client.post(
            f"/staff/midori-pref/applications/{ident}/act",
            data={"action": action, "version": str(version), "reason": "所得要件を満たさないため"},
        )


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


class _Parts:
    """Wraps the job's steps to time each (the job itself is unchanged)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {"template": [], "print": [], "seal": []}

    def install(self) -> None:
        from portal.decisions import tasks
        from portal.pdf import render

        real_html, real_pdf, real_sign = render.render_html, render.html_to_pdf, tasks.sign_pdf

        def render_pdf(template: str, context: dict[str, Any]) -> bytes:
            took, html = _timed(lambda: real_html(template, context))
            self.times["template"].append(took)
            took, pdf = _timed(lambda: real_pdf(html))
            self.times["print"].append(took)
            return pdf  # type: ignore[no-any-return]

        def sign_pdf(*args: Any, **kwargs: Any) -> bytes:
            took, sealed = _timed(lambda: real_sign(*args, **kwargs))
            self.times["seal"].append(took)
            return sealed  # type: ignore[no-any-return]

        tasks.render_pdf = render_pdf  # type: ignore[assignment]
        tasks.sign_pdf = sign_pdf  # type: ignore[assignment]


def main() -> int:
    """Build the data, time both ways, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20, help="notices to time")
    parser.add_argument("--limit", type=float, default=50.0, help="allowed overhead, per cent")
    args = parser.parse_args()
    os.environ.setdefault("PORTAL_ENV", "development")
    with tempfile.TemporaryDirectory() as folder:
        from argon2 import PasswordHasher
        from flask_migrate import upgrade

        from portal import create_app
        from portal.accounts import passwords
        from portal.core import jobs
        from portal.core.uow import commit
        from portal.decisions.context import notice_document
        from portal.decisions.models import Notice
        from portal.demo.seed import load_demo
        from portal.extensions import db
        from portal.pdf.render import html_to_pdf, render_html

        # Test-sized password hashing: the logins of the setup are not what is measured.
        passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "INSTANCE_DIR": Path(folder),
                "PORTAL_DATA_DIR": Path(folder) / "data",
                "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
                "WTF_CSRF_ENABLED": False,
                "PORTAL_TASK_QUEUE": "inline",
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            load_demo()
            commit()
        # Hold the notice jobs back: the decisions queue them, the benchmark runs them.
        held: list[tuple[str, tuple[Any, ...]]] = []
        jobs.dispatch = lambda name, *ids: held.append((name, ids))  # type: ignore[assignment]
        client = app.test_client()
        took, _ = _timed(
            lambda: [
                _decide(app, client, "reject" if i % 3 == 2 else "approve")
                for i in range(args.count + 1)
            ]
        )
        print(f"{args.count + 1} applications applied for and decided in {took:.1f} s")
        ids = [ids[0] for name, ids in held if name == "render_notice"]
        assert len(ids) == args.count + 1, held

        parts = _Parts()
        parts.install()
        plain: list[float] = []
        full: list[float] = []
        with app.app_context():
            # Warm up (fonts loaded, templates compiled, seal read) on the extra notice.
            warm = ids.pop()
            html_to_pdf(render_html(*notice_document(db.session.get(Notice, warm))))  # type: ignore[arg-type]
            jobs.run_job("render_notice", warm)
            for key in parts.times:
                parts.times[key].clear()
            for notice_id in ids:
                notice = db.session.get(Notice, notice_id)
                html = render_html(*notice_document(notice))  # type: ignore[arg-type]
                db.session.rollback()
                took, _ = _timed(partial(html_to_pdf, html))
                plain.append(took)
                db.session.expire_all()
                took, ok = _timed(partial(jobs.run_job, "render_notice", notice_id))
                assert ok, f"notice {notice_id} failed"
                full.append(took)
                done = db.session.get(Notice, notice_id)
                assert done is not None and done.state == "ready", done and done.error
        # What the job spends besides its three timed steps: loading the rows,
        # collecting the values (answers, QR code), storing the file and committing.
        rest = [
            job - template - printing - seal
            for job, template, printing, seal in zip(
                full,
                parts.times["template"],
                parts.times["print"],
                parts.times["seal"],
                strict=True,
            )
        ]

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:7.1f} ms"

    plain_median = statistics.median(plain)
    full_median = statistics.median(full)
    overhead = (full_median - plain_median) / plain_median * 100
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"notices timed: {len(full)} (every third a refusal), medians per notice:")
    print(f"  WeasyPrint alone, same HTML         {ms(plain)}")
    print(f"  render_notice job (render + seal)   {ms(full)}")
    print(f"    template (sandboxed Jinja)        {ms(parts.times['template'])}")
    print(f"    WeasyPrint                        {ms(parts.times['print'])}")
    print(f"    seal (PAdES, pyHanko)             {ms(parts.times['seal'])}")
    print(f"    values, store, commit             {ms(rest)}")
    print(
        f"notices per minute, one worker process: {60 / full_median:.0f} at the median, "
        f"{len(full) * 60 / sum(full):.0f} over all {len(full)}"
    )
    print(f"overhead of sealing and the pipeline: {overhead:+.1f}% (limit {args.limit:.0f}%)")
    return 1 if overhead > args.limit else 0


if __name__ == "__main__":
    sys.exit(main())
