"""Build orchestration: which (vendor, target) pairs to build, in parallel, atomically.

Specs are loaded and rendered by worker processes into `build/.tmp/`; if any spec or connector.yaml
fails to load, nothing is committed, so bad input leaves `build/` exactly as it was. A vendor's
outputs replace the old ones only when all its targets succeeded. One build at a time holds the
output folder (`pipeline/lock.py`); workers die with the build (`pipeline/workers.py`); a file-system
error (no space, read-only, a file in the way) is reported with its path, exit 2, old outputs kept.
A fingerprint of the inputs (the vendor's spec folder,
templates, and the generator's own code) per (vendor, target) lets an unchanged pair be skipped.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from functools import lru_cache
from pathlib import Path

from msgspec import Struct, field

from generator import __version__
from generator.pipeline.lock import LOCK_NAME
from generator.problems import Level, Problem, ProblemError, format_text
from generator.targets import TARGET_MODULES

__all__ = ["BuildRequest", "VendorResult", "run_build"]

STATE_DIR = ".state"
TMP_DIR = ".tmp"


class BuildRequest(Struct, frozen=True):
    specs_dir: Path
    build_dir: Path
    templates_dir: Path
    vendors: tuple[str, ...]
    targets: tuple[str, ...]
    force: bool = False
    jobs: int = 0
    quiet: bool = False
    wait: bool = True


class VendorResult(Struct):
    """One vendor's build, filled in as its targets render (returned from a worker process)."""

    vendor: str
    timings: list[tuple[str, float]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    staged: dict[str, str] = field(default_factory=dict)  # target -> staged folder
    ok: bool = True


_CODE_SUFFIXES = (".py", ".json", ".yaml", ".cs", ".csx", ".js", ".png", ".ttf")


def _tree_digest(root: Path, digest: hashlib._Hash, suffixes: tuple[str, ...] | None = None, prefix: str = "") -> None:
    if not root.exists():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        if suffixes and path.suffix not in suffixes:
            continue
        digest.update((prefix + "/" if prefix else "").encode() + path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


_GENERATOR_DIGEST: str | None = None


def _generator_digest() -> str:
    global _GENERATOR_DIGEST
    if _GENERATOR_DIGEST is None:
        digest = hashlib.sha256(__version__.encode())
        package = Path(__file__).resolve().parents[1]
        shipped = {package / "data" / "specs", package / "data" / "templates"}  # digested per vendor / as templates
        for child in sorted(package.iterdir()):
            if child.is_dir() and child != package / "data":
                _tree_digest(child, digest, _CODE_SUFFIXES, prefix=child.name)
            elif child.is_file() and child.suffix in _CODE_SUFFIXES:
                digest.update(child.name.encode() + b"\0" + child.read_bytes() + b"\0")
        for child in sorted((package / "data").iterdir()):
            if child not in shipped:
                if child.is_dir():
                    _tree_digest(child, digest, _CODE_SUFFIXES, prefix="data/" + child.name)
                elif child.suffix in _CODE_SUFFIXES:
                    digest.update(child.name.encode() + b"\0" + child.read_bytes() + b"\0")
        _GENERATOR_DIGEST = digest.hexdigest()
    return _GENERATOR_DIGEST


@lru_cache(maxsize=64)
def _folder_digest(root: Path) -> str:
    digest = hashlib.sha256()
    _tree_digest(root, digest)
    return digest.hexdigest()


def fingerprint(request: BuildRequest, vendor: str, target: str) -> str:
    parts = (target, _generator_digest(), _folder_digest(request.specs_dir / vendor), _folder_digest(request.templates_dir))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _stamp_path(request: BuildRequest, vendor: str, target: str) -> Path:
    return request.build_dir / STATE_DIR / vendor / f"{target}.sha256"


def _output_dir(request: BuildRequest, vendor: str, target: str) -> Path:
    from generator.targets import load_target

    return request.build_dir / load_target(target).output_dir(vendor)


def _is_fresh(request: BuildRequest, vendor: str, target: str) -> bool:
    stamp = _stamp_path(request, vendor, target)
    if request.force or not stamp.is_file():
        return False
    lines = stamp.read_text().splitlines()
    return len(lines) == 2 and lines[0] == fingerprint(request, vendor, target) and (request.build_dir / lines[1]).is_dir()


def _render_vendor(request: BuildRequest, vendor: str, targets: tuple[str, ...], staging: str) -> VendorResult:
    """Runs in a worker process: load the vendor, render each target into `staging/<target>`."""
    from generator.pipeline.vendors import load_vendor
    from generator.targets import load_target
    from generator.targets.base import TargetContext

    result = VendorResult(vendor)
    try:
        inputs = load_vendor(request.specs_dir, vendor)
    except ProblemError as exc:
        result.problems.extend(exc.problems)
        result.ok = False
        return result
    result.problems.extend(inputs.problems)
    ctx = TargetContext(vendor, inputs.spec_dir, inputs.connector, request.templates_dir)
    for name in targets:
        started = time.perf_counter()
        out = Path(staging) / name
        try:
            out.mkdir(parents=True)
            problems = load_target(name).render(inputs.api, ctx, out)
        except ProblemError as exc:
            problems = exc.problems
        except OSError as exc:
            problems = [_output_problem(exc, out)]
        result.problems.extend(inputs.locate(p) for p in problems)
        result.timings.append((name, time.perf_counter() - started))
        if any(p.level is Level.ERROR for p in problems):
            result.ok = False
            return result
        result.staged[name] = str(out)
    # Breaking-change guard against specs/<vendor>/baseline/ (issue 14: generator/pipeline/baseline.py).
    if "powerplatform" in result.staged:
        from generator.pipeline.baseline import check_package

        guard = check_package(inputs.spec_dir, inputs.connector, Path(result.staged["powerplatform"]))
        result.problems.extend(guard)
        result.ok = not any(p.level is Level.ERROR for p in guard)
    return result


def _output_problem(exc: OSError, where: Path) -> Problem:
    from generator.util.fsio import describe_os_error

    path = exc.filename or where
    return Problem(Level.ERROR, "output_write_failed", f"cannot write {path}: {describe_os_error(exc)}", str(where))


def run_build(request: BuildRequest) -> int:
    from generator.pipeline.lock import BuildLocked, output_lock
    from generator.util.fsio import describe_os_error

    started = time.perf_counter()
    unknown = [t for t in request.targets if t not in TARGET_MODULES]
    if unknown:
        sys.stderr.write(f"connectorgen build: unknown target(s) {', '.join(unknown)}; choose from {', '.join(TARGET_MODULES)}\n")
        return 2
    build_existed = request.build_dir.exists()
    try:
        with output_lock(request.build_dir, wait=request.wait):
            return _locked_build(request, started, build_existed)
    except BuildLocked as exc:
        sys.stderr.write(f"connectorgen build: {exc}\n")
        return 2
    except OSError as exc:
        where = exc.filename or request.build_dir
        sys.stderr.write(f"connectorgen build: cannot write {where}: {describe_os_error(exc)}; previous outputs are untouched\n")
        return 2
    finally:
        if not build_existed and request.build_dir.is_dir() and not any(request.build_dir.iterdir()):
            request.build_dir.rmdir()


def _locked_build(request: BuildRequest, started: float, build_existed: bool) -> int:
    def say(message: str) -> None:
        if not request.quiet:
            print(message, flush=True)

    todo: dict[str, tuple[str, ...]] = {}
    for vendor in request.vendors:
        stale = tuple(t for t in request.targets if not _is_fresh(request, vendor, t))
        if stale:
            todo[vendor] = stale
        else:
            say(f"{vendor:<10} up to date")
    if not todo:
        say(f"nothing to do ({time.perf_counter() - started:.2f} s)")
        return 0

    tmp_root = request.build_dir / TMP_DIR
    tmp_root.mkdir(parents=True, exist_ok=True)
    stagings = {vendor: str(tmp_root / f"{vendor}-{os.getpid()}") for vendor in todo}
    for path in stagings.values():
        shutil.rmtree(path, ignore_errors=True)

    jobs = request.jobs or min(len(todo), os.cpu_count() or 1)
    results: list[VendorResult] = []
    try:
        if jobs > 1 and len(todo) > 1:
            from concurrent.futures import ProcessPoolExecutor

            from generator.pipeline.workers import die_with_parent

            with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
                futures = [pool.submit(_render_vendor, request, v, t, stagings[v]) for v, t in todo.items()]
                results = [f.result() for f in futures]
        else:
            results = [_render_vendor(request, v, t, stagings[v]) for v, t in todo.items()]

        all_problems = [p for r in results for p in r.problems]
        failed = [r for r in results if not r.ok]
        if any(not r.timings for r in failed):
            # Bad input (a spec or connector.yaml failed to load): report it and write nothing at all.
            sys.stderr.write(format_text(all_problems))
            results = [VendorResult(r.vendor, ok=False) for r in results]
            return 2
        for r in results:
            for target, seconds in r.timings:
                say(f"{r.vendor:<10} {target:<14} {seconds:6.2f} s{'' if r.ok else '  (not written)'}")
        if all_problems:
            sys.stderr.write(format_text(all_problems))
        for r in results:
            if r.ok:
                _commit(request, r)
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
        if not build_existed and not any(r.ok for r in results):
            for child in request.build_dir.iterdir() if request.build_dir.is_dir() else ():
                if child.name != LOCK_NAME:
                    shutil.rmtree(child, ignore_errors=True)

    if failed:
        sys.stderr.write(f"build failed for {', '.join(r.vendor for r in failed)}; their previous outputs are untouched\n")
        return 2
    say(f"built {len(results)} vendor(s) in {time.perf_counter() - started:.2f} s -> {request.build_dir}")
    return 0


def _commit(request: BuildRequest, result: VendorResult) -> None:
    """Swap the staged outputs of one vendor into place, then record their fingerprints."""
    for target, staged in result.staged.items():
        final = _output_dir(request, result.vendor, target)
        final.parent.mkdir(parents=True, exist_ok=True)
        old = final.with_name(final.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        Path(staged).rename(final)
        shutil.rmtree(old, ignore_errors=True)
        stamp = _stamp_path(request, result.vendor, target)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        relative = final.relative_to(request.build_dir).as_posix()
        stamp.write_text(f"{fingerprint(request, result.vendor, target)}\n{relative}\n")
