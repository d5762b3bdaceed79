"""Benchmark: the staff inbox with 10,000 and with 1,000,000 applications on PostgreSQL.

Run: .venv/bin/python bench/inbox.py [--sizes 10000 1000000] [--repeat 15]
     [--url postgresql+psycopg://postgres@127.0.0.1:5432/madoguchi_bench]

Creates the database if it does not exist (it is emptied, never the test database),
builds the schema with the migrations, loads the demo data, then for each size fills the
applications table with generated applications (a fifth open, the rest closed, due dates
over two years, a task for each open one) by one INSERT … SELECT generate_series. It
then times, through the real views as a signed-in approver with the whole tenant in view:

- the first page of the "all open" tab, soonest due first, with the tab counts;
- a filtered page: one procedure, status under review, overdue only;
- the tenth page of "all open" (keyset: as cheap as the first);
- "my tasks" of a department-scoped clerk.

Each is the median of ``--repeat`` warm requests. Target: each at 1,000,000 within twice
its time at 10,000. Exits with status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/madoguchi_bench"

FILL = """
INSERT INTO application (tenant_id, procedure_version_id, applicant_id, reference, status,
    stage_index, department_id, consents, objections, answers, created_at, updated_at,
    submitted_at, due_on, lock_version)
SELECT :tenant,
       (ARRAY[:versions])[1 + ((n / 5) % :version_count)],
       :applicant,
       'BENCH-' || n,
       CASE WHEN n % 5 = 0 THEN (ARRAY['submitted','under_review','received'])[1 + (n / 5) % 3]
            ELSE (ARRAY['completed','rejected','withdrawn'])[1 + n % 3] END,
       CASE WHEN n % 5 = 0 THEN 0 END,
       (ARRAY[:departments])[1 + ((n / 35) % :department_count)],
       '[]', '[]', '{}',
       now() - (n % 730) * interval '1 day', now(),
       now() - (n % 730) * interval '1 day',
       current_date + (365 - (n::bigint * 7919) % 730)::int,
       1
FROM generate_series(1, :size) AS n
"""

TASKS = """
INSERT INTO task (application_id, tenant_id, kind, stage_id, role, department, due_on,
    note, created_at)
SELECT a.id, a.tenant_id, 'act', 'review', 'reviewer', d.code, a.due_on, '', now()
FROM application a JOIN department d ON d.id = a.department_id
WHERE a.reference LIKE 'BENCH-%' AND a.status IN ('submitted', 'under_review', 'received')
"""


def _ensure_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def _reset(app) -> None:  # type: ignore[no-untyped-def]
    from flask_migrate import upgrade
    from sqlalchemy import text

    from portal.core.uow import commit
    from portal.demo.seed import load_demo
    from portal.extensions import db

    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        upgrade(directory=str(ROOT / "migrations"))
        load_demo()
        commit()


def _fill(app, size: int) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select, text

    from portal.accounts.models import User
    from portal.catalog.models import Procedure, ProcedureVersion
    from portal.extensions import db
    from portal.tenants.models import Department, Tenant

    with app.app_context():
        db.session.execute(
            text(
                "DELETE FROM task WHERE application_id IN "
                "(SELECT id FROM application WHERE reference LIKE 'BENCH-%')"
            )
        )
        db.session.execute(text("DELETE FROM application WHERE reference LIKE 'BENCH-%'"))
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "midori-pref"))
        versions = list(
            db.session.scalars(
                select(ProcedureVersion.id).join(Procedure).where(Procedure.tenant_id == tenant.id)
            )
        )
        departments = list(
            db.session.scalars(select(Department.id).where(Department.tenant_id == tenant.id))
        )
        applicant = db.session.scalar(select(User.id).where(User.email == "resident@example.jp"))
        # Arrays are inlined as literals: they are a handful of integers read from the database.
        sql = FILL.replace(":versions", ",".join(map(str, versions))).replace(
            ":departments", ",".join(map(str, departments))
        )
        db.session.execute(
            text(sql),
            {
                "tenant": tenant.id,
                "applicant": applicant,
                "size": size,
                "version_count": len(versions),
                "department_count": len(departments),
            },
        )
        db.session.execute(text(TASKS))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _time(client, url: str, repeat: int) -> float:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url).get_data()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _next_pages(client, url: str, pages: int) -> str:  # type: ignore[no-untyped-def]
    import re

    for _ in range(pages):
        html = client.get(url).get_data(as_text=True)
        found = re.search(r'href="([^"]*/inbox\?[^"]*after=[^"]*)"', html)
        assert found, "no next page"
        url = found.group(1).replace("&amp;", "&")
    return url


def _measure(app, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from portal.catalog.models import Procedure
    from portal.extensions import db

    with app.app_context():
        procedure = db.session.scalar(
            select(Procedure.id).where(Procedure.slug == "iot-ai-robot-subsidy")
        )
    approver, clerk = app.test_client(), app.test_client()
    for client, email in (
        (approver, "approver@pref.example.jp"),
        (clerk, "clerk@sangyo.pref.example.jp"),
    ):
        client.post("/account/login", data={"email": email, "password": "madoguchi-demo"})
    base = "/staff/midori-pref/inbox"
    tenth = _next_pages(approver, f"{base}?tab=open", 9)
    return {
        "first page (all open)": _time(approver, f"{base}?tab=open", repeat),
        "filtered page": _time(
            approver,
            f"{base}?tab=open&procedure={procedure}&status=under_review&overdue=1",
            repeat,
        ),
        "tenth page (keyset)": _time(approver, tenth, repeat),
        "my tasks (clerk)": _time(clerk, f"{base}?tab=mine", repeat),
    }


def main() -> int:
    """Fill, time and compare."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    _ensure_database(args.url)
    from portal import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": args.url,
                "PORTAL_DATA_DIR": folder,
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
            }
        )
        _reset(app)
        results: dict[int, dict[str, float]] = {}
        for size in args.sizes:
            started = time.perf_counter()
            _fill(app, size)
            print(f"{size:>9,} applications filled in {time.perf_counter() - started:.0f} s")
            results[size] = _measure(app, args.repeat)
    smallest, largest = args.sizes[0], args.sizes[-1]
    print(f"\n{'median ms':<24}" + "".join(f"{size:>12,}" for size in args.sizes) + "   ratio")
    missed = False
    for name in results[smallest]:
        ratio = results[largest][name] / results[smallest][name]
        missed |= ratio > 2
        cells = "".join(f"{results[size][name]:>12.1f}" for size in args.sizes)
        print(f"{name:<24}{cells}   {ratio:.2f}{'  MISSED' if ratio > 2 else ''}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
