"""Safe YAML/JSON loading with located errors, and atomic writes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem

M = TypeVar("M", bound=BaseModel)


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that rejects duplicate keys and reads booleans as YAML 1.2 does.

    YAML 1.1 turns `yes`, `no`, `on` and `off` into booleans, so an answer `yes` or an option
    id `no` would silently change type; only `true` and `false` are booleans here.
    """


_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError.one(path, "", "file not found") from None
    except IsADirectoryError:
        raise InputError.one(path, "", "is a directory, expected a file") from None
    except OSError as exc:
        raise InputError.one(path, "", f"cannot read: {exc.strerror}") from None


def parse_data(data: bytes, source: str | Path) -> Any:
    """Parse YAML (a superset of JSON) safely; syntax errors carry line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.one(source, "", f"not UTF-8 text (byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        raise InputError.one(source, where, f"YAML syntax error: {what}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, …)
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError.one(
            source, f"line {line}, column {column}", f"character {char!r} is not allowed in YAML"
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError.one(source, "", f"YAML error: {first}") from None


def load_data(path: Path) -> Any:
    return parse_data(read_bytes(path), path)


def dotted(loc: Iterable[int | str]) -> str:
    """Turn a pydantic error location into `a.b[2].c`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def validation_problems(
    exc: ValidationError, source: str | Path, prefix: str = ""
) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = [
            p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "~")))
        ]
        path = dotted(loc)
        if prefix:
            path = f"{prefix}.{path}" if path and not path.startswith("[") else prefix + path
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        problems.append(Problem(str(source), path, msg))
    return problems


def validate_as(model: type[M], data: Any, source: str | Path, prefix: str = "") -> M:
    """Validate parsed data against a strict model; errors name the file and field path."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc, source, prefix)) from None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write an output file the way a careful Unix tool does, never destroying anything.

    - A regular file (new or existing) is replaced atomically: readers see the old content or
      the complete new one, never a part; an existing file keeps its permission bits.
    - A symbolic link is followed: its target is written (atomically, beside the target), and
      the link stays a link; a dangling link creates its target.
    - A FIFO or a character device (`/dev/null`, `/dev/stdout`, a terminal) is written
      directly, as `cat > FIFO` would; it is never replaced by a regular file.
    - A directory, a socket or a block device is refused with InputError, as is any write the
      system refuses (permissions, a read-only or full disk); no temporary file is left.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError.one(path, "", f"cannot write: {exc.strerror}") from None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
            _write_stream(path, target, raw)
            return
        what = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise InputError.one(path, "", f"cannot write: {what}")
    _replace_file(path, target, raw, None if mode is None else stat.S_IMODE(mode))


def _write_stream(path: Path, target: Path, raw: bytes) -> None:
    """Write to a FIFO or character device in place."""
    try:
        with open(target, "wb") as fh:
            fh.write(raw)
    except OSError as exc:
        raise InputError.one(path, "", f"cannot write: {exc.strerror}") from None


def _replace_file(path: Path, target: Path, raw: bytes, keep_mode: int | None) -> None:
    """Write `raw` to a temporary file beside `target`, then rename it over `target`."""
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        if keep_mode is None:
            umask = os.umask(0)
            os.umask(umask)
            keep_mode = 0o666 & ~umask  # mkstemp creates 0600; give the file the usual mode
        os.fchmod(fd, keep_mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise InputError.one(path, "", f"cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def canonical_json(data: Any) -> str:
    """Deterministic JSON: sorted keys, no NaN, UTF-8, trailing newline."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
