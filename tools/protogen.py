"""Generate the Python code of `proto/` into `libs/crm_proto/src/crm/`.

Usage:
    python tools/protogen.py            # regenerate in place
    python tools/protogen.py --check    # fail when the committed code is out of date

Only this script writes `libs/crm_proto/src/`; nobody edits it by hand.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "proto"
OUT_DIR = ROOT / "libs" / "crm_proto" / "src"
PACKAGE = "crm"


def generate(out: Path) -> None:
    import grpc_tools
    from grpc_tools import protoc

    well_known = Path(grpc_tools.__file__).parent / "_proto"
    protos = sorted(str(p.relative_to(PROTO_DIR)) for p in PROTO_DIR.rglob("*.proto"))
    if not protos:
        raise SystemExit("no .proto files under proto/")
    args = [
        "protoc",
        f"-I{PROTO_DIR}",
        f"-I{well_known}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *protos,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    # Packages with __init__.py so tools and type checkers see regular packages.
    for directory in [out / PACKAGE, *(p for p in (out / PACKAGE).rglob("*") if p.is_dir())]:
        init = directory / "__init__.py"
        if not init.exists():
            init.write_text("")


def tree_differs(a: Path, b: Path) -> list[str]:
    diffs: list[str] = []
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__"])

    def walk(c: filecmp.dircmp, prefix: str) -> None:
        diffs.extend(f"{prefix}{n} (only in generated)" for n in c.left_only)
        diffs.extend(f"{prefix}{n} (only in committed)" for n in c.right_only)
        for name in c.common_files:
            if (Path(c.left) / name).read_bytes() != (Path(c.right) / name).read_bytes():
                diffs.append(f"{prefix}{name} (differs)")
        for name, sub in c.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(cmp, "")
    return diffs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_out = Path(tmp)
        generate(tmp_out)
        target = OUT_DIR / PACKAGE
        if args.check:
            if not target.exists():
                print("generated code missing: run `make proto`", file=sys.stderr)
                return 1
            diffs = tree_differs(tmp_out / PACKAGE, target)
            if diffs:
                print("generated code is out of date; run `make proto`:", file=sys.stderr)
                for d in diffs:
                    print(f"  {d}", file=sys.stderr)
                return 1
            print("generated code is up to date")
            return 0
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(tmp_out / PACKAGE, target)
        print(f"generated {sum(1 for _ in target.rglob('*.py'))} modules into {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
