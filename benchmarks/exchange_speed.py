"""How fast is a full export and import? Target: importing 1,000 repairs with 100,000
interactions into a fresh SQLite database in under 10 seconds.

Run: ``.venv/bin/python benchmarks/exchange_speed.py [--repairs N] [--interactions N]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datagen import generate_export

from mend.app import build
from mend.services.exchange import (
    export_all,
    import_all,
    load_export_file,
)
from mend.settings import load_settings

TARGET_IMPORT_SECONDS = 10.0


def _mib(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.1f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repairs", type=int, default=1000)
    parser.add_argument("--interactions", type=int, default=100_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "export.json"
        data = generate_export(args.repairs, args.interactions)
        source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        rows = sum(len(v) for v in data.values() if isinstance(v, list))
        print(f"data: {rows:,} rows, {args.interactions:,} interactions; JSON {_mib(source)}")

        db = work / "mend.db"
        app = build(
            load_settings({"database_url": str(db)}, environ={}, config_path=work / "none.toml")
        )
        started = time.perf_counter()
        summary = import_all(app.uow(), load_export_file(source))
        import_seconds = time.perf_counter() - started
        print(f"import: {import_seconds:.2f} s ({summary.total:,} rows); SQLite {_mib(db)}")

        started = time.perf_counter()
        exported = export_all(app.uow(write=False), now=datetime.now(UTC))
        (work / "again.json").write_text(json.dumps(exported, ensure_ascii=False), "utf-8")
        export_seconds = time.perf_counter() - started
        print(f"export: {export_seconds:.2f} s (including writing the JSON file)")
        app.close()

        same = {k: v for k, v in exported.items() if k != "exported_at"} == {
            k: v for k, v in data.items() if k != "exported_at"
        }
        print(f"round trip identical: {same}")
        ok = same and import_seconds < TARGET_IMPORT_SECONDS
        print("OK" if ok else f"FAIL (target: import under {TARGET_IMPORT_SECONDS:.0f} s)")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
