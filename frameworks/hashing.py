"""SHA-256 of framework and questionnaire files that anyone can recompute without crmm.

A result names the framework and questionnaire it was scored with by id, version and a
SHA-256 of their files as written (docs/verification.md gives the recipe, with a few lines of
standard-library Python and a shell one-liner):

- a questionnaire: the SHA-256 of its file's bytes (`sha256sum quick-check.yaml`);
- a framework: the SHA-256 of a manifest in `sha256sum` format, one line
  `"<sha256 of the file>  <path relative to the framework file's folder>\\n"` for the framework
  file, its `glossary.yaml` if there is one, and every `*.yaml` file in its `elements/` and
  `recommendations/` folders, sorted by path (the files the loader reads). Benchmarks
  (`benchmarks/`) are not part of the framework: a result names them by their own file hash.

A framework or questionnaire built in memory rather than loaded from files has no file
hash; it is named by the SHA-256 of its canonical JSON instead (`model_sha256`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel

from .fileio import canonical_json, read_bytes

FRAMEWORK_FOLDERS = ("elements", "recommendations")
GLOSSARY_FILE = "glossary.yaml"
FRAMEWORK_SIDE_FILES = (GLOSSARY_FILE,)  # read by the loader beside the framework file


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as `sha256sum` prints it."""
    return hashlib.sha256(read_bytes(path)).hexdigest()


def framework_files(framework_file: Path) -> list[str]:
    """The files a framework's hash covers, as POSIX paths relative to the framework file's
    folder, sorted: the framework file, FRAMEWORK_SIDE_FILES that exist and the `*.yaml`
    files of FRAMEWORK_FOLDERS."""
    root = framework_file.parent
    names = [framework_file.name]
    names += [n for n in FRAMEWORK_SIDE_FILES if (root / n).is_file() and n != framework_file.name]
    for folder in FRAMEWORK_FOLDERS:
        if (root / folder).is_dir():
            names += [p.relative_to(root).as_posix() for p in (root / folder).glob("*.yaml")]
    return sorted(names)


def manifest(root: Path, names: list[str]) -> str:
    """`sha256sum` lines (`<sha256>  <path>`) of files under `root`, in the order given."""
    return "".join(f"{file_sha256(root / name)}  {name}\n" for name in names)


def framework_sha256(framework_file: Path) -> str:
    """The SHA-256 a result records for the framework whose main file is `framework_file`."""
    text = manifest(framework_file.parent, framework_files(framework_file))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def folder_sha256(folder: Path) -> str:
    """The SHA-256 of the manifest of every file under `folder` (e.g. a template folder)."""
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(manifest(folder, names).encode("utf-8")).hexdigest()


def model_sha256(model: BaseModel) -> str:
    """The SHA-256 of a model's canonical JSON: for frameworks and questionnaires built in
    memory, which have no files to hash."""
    data = model.model_dump(mode="json", by_alias=True)
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
