"""A bundled sample site, written for the demo and the tests: no internet needed."""

from pathlib import Path

SITE_DIR = Path(__file__).parent / "site"
