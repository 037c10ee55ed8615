"""The documentation stays true: every setting is documented, the CLI reference is fresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from mend.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_the_readme(setting: object) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| {setting.name} |" in readme, f"README's settings table lacks {setting.name}"  # type: ignore[attr-defined]
    assert setting.env in readme  # type: ignore[attr-defined]
    assert setting.help  # type: ignore[attr-defined]


def test_the_cli_reference_is_not_stale() -> None:
    from mend.cli.main import app
    from mend.cli.reference import cli_reference

    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == cli_reference(app), (
        "docs/cli.md is stale: run `.venv/bin/python -m mend.cli.reference > docs/cli.md`"
    )
