"""Write examples/full-audit/responses-zh-CN.yaml and responses-en.yaml: the demo company's full
audit, byte for byte as `crmm demo` writes it (demo-audit-responses-*.yaml).

    python scripts/full_audit_example.py

Run it whenever the demo's audit (assessment/demo_audit.py, assessment/data/demo_audit.yaml)
or the built-in full audit changes; tests/test_demo_audit.py fails until the examples match.
"""

from __future__ import annotations

from pathlib import Path

from assessment.demo_audit import audit_texts
from frameworks.fileio import write_atomic
from frameworks.text import LANGS

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "full-audit"


def main() -> None:
    for lang in LANGS:
        text, _ = audit_texts(Path(f"demo-audit-responses-{lang}.yaml"), lang)
        path = EXAMPLE / f"responses-{lang}.yaml"
        write_atomic(path, text)
        print(path)


if __name__ == "__main__":
    main()
