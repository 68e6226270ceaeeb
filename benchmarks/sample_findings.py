"""A reproducible random sample of `layerwise check` findings over real Dockerfiles, for review.

The files come from benchmarks/real_dockerfiles.py (real upstream Dockerfiles shipped in Debian's
packages; run it first). Every file is checked once with `layerwise check --output-format json`;
the findings are put in a fixed order (path, line, column, rule, message) and, for each rule, up
to `--per-rule` of them are drawn with a generator seeded by `--seed` and the rule's code. The
same corpus, code and seed give the same sample; since each rule draws on its own, a change to
one rule's findings changes only that rule's part of the sample.

For each finding it prints `file:line`, the rule, the message and the Dockerfile lines around it
(the flagged lines marked `>`), then the number of findings per rule. A person judges each one.

    uv run python benchmarks/sample_findings.py [--dir DIR] [--seed 7] [--per-rule 8] [--around 6]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path("/var/cache/layerwise/real-dockerfiles")


def findings(directory: Path) -> list[dict[str, Any]]:
    layerwise = shutil.which("layerwise") or str(Path(sys.executable).parent / "layerwise")
    # Exit 1 means "there are findings"; only the JSON report matters here.
    done = subprocess.run(
        [layerwise, "check", "--isolated", "--output-format", "json", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        sys.exit(f"sample_findings: layerwise check exited {done.returncode}: {done.stderr}")
    found: list[dict[str, Any]] = json.loads(done.stdout)["findings"]
    return sorted(
        found,
        key=lambda f: (
            f["path"],
            f["location"]["line"],
            f["location"]["column"],
            f["code"],
            f["message"],
        ),
    )


def excerpt(finding: dict[str, Any], around: int) -> str:
    lines = Path(finding["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
    first = finding["location"]["line"]
    last = (finding.get("end_location") or finding["location"])["line"]
    shown = range(max(1, first - around), min(len(lines), last + around) + 1)
    return "\n".join(
        f"{'>' if first <= n <= last else ' '} {n:4d} | {_cut(lines[n - 1])}" for n in shown
    )


def _cut(line: str, width: int = 200) -> str:
    # Some files hold one huge line (a 145,000-character package list): keep the sample readable.
    return line if len(line) <= width else f"{line[:width]} ... ({len(line)} characters)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-rule", type=int, default=8)
    parser.add_argument("--around", type=int, default=6, help="lines shown either side")
    args = parser.parse_args()
    if not args.dir.is_dir():
        sys.exit(f"sample_findings: {args.dir} is missing: run benchmarks/real_dockerfiles.py")
    found = findings(args.dir)
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in found:
        by_rule[finding["code"]].append(finding)
    sample = 0
    for code in sorted(by_rule):
        pool = by_rule[code]
        # A string seed is hashed with SHA-512: the same on every run and machine.
        rng = random.Random(f"{args.seed}:{code}")
        for finding in rng.sample(pool, min(args.per_rule, len(pool))):
            sample += 1
            where = Path(finding["path"]).relative_to(args.dir)
            print(f"=== #{sample} {code} {where}:{finding['location']['line']}")
            print(f"    {finding['message']}")
            print(excerpt(finding, args.around))
            print()
    counts = Counter(f["code"] for f in found)
    print(f"{len(found)} findings in {len({f['path'] for f in found})} files; sample {sample}")
    for code, count in sorted(counts.items()):
        print(f"  {code} {count}")


if __name__ == "__main__":
    main()
