"""Gather real, public Dockerfiles from Debian's packages into a directory, for the benchmarks.

No copy of anyone's Dockerfile is kept in this repository: this script fetches them when a
benchmark needs them. Debian's Contents indexes say which packages ship a file named
`Dockerfile`, `Dockerfile.*` or `*.Dockerfile` (upstream projects' own files: Rust's CI images,
Ansible's test images, OpenShift imagebuilder's test suite, R packages' examples, ...). The
packages are downloaded from the Debian mirror, only those files are extracted, and each
distinct text (by SHA-256) is written once as `<out>/<sha12>/<original name>`.

    uv run python benchmarks/real_dockerfiles.py [--out DIR] [--suites bookworm,trixie]

Prints how many files it wrote. Downloads go to `<out>/.debs` and are reused by a rerun.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import lzma
import re
import subprocess
import tarfile
import urllib.request
from collections import defaultdict
from pathlib import Path

MIRROR = "http://deb.debian.org/debian"
DEFAULT_OUT = Path("/var/cache/layerwise/real-dockerfiles")
NAME = re.compile(r"(^|/)(Dockerfile[^/]*|[^/]+\.[dD]ockerfile)$")
# The Contents line is "path   section/package[,section/package...]"; paths may hold spaces.
CONTENTS_LINE = re.compile(r"^(?P<path>.+?)\s+(?P<packages>\S+)$")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        data: bytes = response.read()
        return data


def wanted_paths(suite: str) -> dict[str, set[str]]:
    """package -> the Dockerfile paths it ships, from the suite's Contents indexes."""
    out: dict[str, set[str]] = defaultdict(set)
    for arch in ("all", "amd64"):
        text = gzip.decompress(fetch(f"{MIRROR}/dists/{suite}/main/Contents-{arch}.gz"))
        for raw in text.decode("utf-8", "replace").splitlines():
            match = CONTENTS_LINE.match(raw)
            if not match or not NAME.search(match["path"]):
                continue
            for qualified in match["packages"].split(","):
                out[qualified.rsplit("/", 1)[-1]].add(match["path"])
    return out


def package_files(suite: str) -> dict[str, str]:
    """package -> its .deb's path on the mirror, from the suite's amd64 Packages index."""
    text = lzma.decompress(fetch(f"{MIRROR}/dists/{suite}/main/binary-amd64/Packages.xz"))
    out: dict[str, str] = {}
    package = None
    for line in text.decode("utf-8", "replace").splitlines():
        if line.startswith("Package: "):
            package = line[9:].strip()
        elif line.startswith("Filename: ") and package is not None:
            out[package] = line[10:].strip()
    return out


def extract(deb: Path, paths: set[str]) -> dict[str, bytes]:
    """The named members of a .deb's data archive (dpkg-deb streams it as a plain tar)."""
    tar_bytes = subprocess.run(
        ["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True
    ).stdout
    found: dict[str, bytes] = {}
    names = {p.lstrip("./") for p in paths}
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as archive:
        for member in archive:
            name = member.name.lstrip("./")
            if name in names and member.isfile():
                handle = archive.extractfile(member)
                if handle is not None:
                    found[name] = handle.read()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--suites", default="bookworm,trixie")
    args = parser.parse_args()
    debs = args.out / ".debs"
    debs.mkdir(parents=True, exist_ok=True)
    seen: set[str] = {p.name for p in args.out.iterdir() if p.is_dir() and p.name != ".debs"}
    written = 0
    for suite in args.suites.split(","):
        locations = package_files(suite)
        for package, paths in sorted(wanted_paths(suite).items()):
            if package not in locations:
                continue
            deb = debs / Path(locations[package]).name
            if not deb.exists():
                deb.write_bytes(fetch(f"{MIRROR}/{locations[package]}"))
            for path, data in extract(deb, paths).items():
                digest = hashlib.sha256(data).hexdigest()[:12]
                if digest in seen or b"\0" in data:
                    continue
                seen.add(digest)
                target = args.out / digest / Path(path).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written += 1
    total = len(seen)
    print(f"real_dockerfiles: {written} new files, {total} distinct files in {args.out}")


if __name__ == "__main__":
    main()
