"""Grammar-based fuzzing of `check` and `check --fix` (outside CI: it runs for minutes).

Draws Dockerfiles from tests/strategies/dockerfiles.py and checks, for each, the invariants of
tests/strategies/invariants.py: no crash (an exception other than the user error of a file
BuildKit's parser rejects, which must be an LW400 finding), no fix dropped as a bug (exit 3),
fixed text that re-parses and round-trips, RUN scripts that still parse with the shell parser
when the original's did, and a second fix that changes nothing. Each case is fixed with safe
fixes or with unsafe ones too (drawn with the case).

    uv run python benchmarks/fuzz.py [--cases 200000] [--seed 0] [--jobs 1] [--hypothesis]

Cases are drawn in batches of --batch, each batch from its own seed (seed, seed+1, ...), so a run
is reproducible for a given --seed and --batch whatever --jobs is. By default `RandomDraw` drives
the grammar (hundreds of files a second); --hypothesis draws through hypothesis's engine, which
prefers edge values and mutates earlier files, at a tenth of the speed. Prints the number of cases,
each kind of failure once with a minimised example (lines, then characters, removed while the
same failure remains), and the time. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from strategies.dockerfiles import dockerfile, dockerfiles
from strategies.grammar import BOOLEANS, RandomDraw
from strategies.invariants import Violation, violation

Failure = tuple[str, str, str, bool]  # kind, detail, text, unsafe


def run_batch(batch_seed: int, count: int) -> tuple[int, list[Failure]]:
    """Draw `count` files from the grammar with `batch_seed` and check each one.

    The grammar is driven by `RandomDraw` rather than hypothesis's engine: the same files, at a
    fraction of the cost per file (hypothesis shrinks; here `minimise` does, once per kind).
    """
    failures: list[Failure] = []
    draw = RandomDraw(batch_seed)
    for _ in range(count):
        text = dockerfile(draw)
        unsafe = draw(BOOLEANS)
        found = violation(text, unsafe=unsafe)
        if found is not None:
            failures.append((found.kind, found.detail, text, unsafe))
    return count, failures


def run_batch_hypothesis(batch_seed: int, count: int) -> tuple[int, list[Failure]]:
    """Like `run_batch`, through hypothesis's engine: about ten times slower, but it leans to
    edge values (empty words, repeats) and mutates what it drew before."""
    failures: list[Failure] = []
    done = 0

    @seed(batch_seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(dockerfiles(), st.booleans())
    def one(text: str, unsafe: bool) -> None:
        nonlocal done
        done += 1
        found = violation(text, unsafe=unsafe)
        if found is not None:
            failures.append((found.kind, found.detail, text, unsafe))

    one()
    return done, failures


def minimise(text: str, still_fails: Callable[[str], bool]) -> str:
    """Remove lines, then single characters, while `still_fails` holds (a greedy ddmin)."""
    for unit in ("lines", "chars"):
        pieces = text.splitlines(keepends=True) if unit == "lines" else list(text)
        size = max(1, len(pieces) // 2)
        while size >= 1:
            i = 0
            while i < len(pieces):
                candidate = pieces[:i] + pieces[i + size :]
                if candidate and still_fails("".join(candidate)):
                    pieces = candidate
                else:
                    i += size
            size //= 2
        text = "".join(pieces)
        if unit == "lines" and len(text) > 400:
            break  # characters one by one would take too long; the lines are the example
    return text


def _same_failure(kind: str, unsafe: bool) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        found: Violation | None = violation(text, unsafe=unsafe)
        return found is not None and found.kind == kind

    return check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000, help="files to draw (200000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first batch (0)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1)")
    parser.add_argument("--batch", type=int, default=500, help="files per batch (500)")
    parser.add_argument(
        "--hypothesis", action="store_true", help="draw through hypothesis's engine (slower)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    batches = [
        (args.seed + i, min(args.batch, args.cases - i * args.batch))
        for i in range((args.cases + args.batch - 1) // args.batch)
    ]
    total = 0
    by_kind: dict[str, list[Failure]] = {}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        runner = run_batch_hypothesis if args.hypothesis else run_batch
        results = pool.map(runner, *zip(*batches, strict=True))
        for n, (done, failures) in enumerate(results, 1):
            total += done
            for failure in failures:
                by_kind.setdefault(failure[0], []).append(failure)
            if n % 20 == 0 or n == len(batches):
                elapsed = time.perf_counter() - started
                print(
                    f"  {total} cases, {len(by_kind)} kinds of failure, {elapsed:.0f} s", flush=True
                )
    elapsed = time.perf_counter() - started
    print(f"cases: {total}")
    print(f"failures: {sum(len(v) for v in by_kind.values())} in {len(by_kind)} kinds")
    for kind, failures in sorted(by_kind.items()):
        _, detail, text, unsafe = min(failures, key=lambda f: len(f[2]))
        small = minimise(text, _same_failure(kind, unsafe))
        print(f"\n== {kind} ({len(failures)}x, {'unsafe' if unsafe else 'safe'} fixes)")
        print(f"   {detail[:500]}")
        print("   minimised example: " + repr(small))
    print(f"\ntime: {elapsed:.1f} s ({total / elapsed:.0f} cases/s, {args.jobs} job(s))")
    return 1 if by_kind else 0


if __name__ == "__main__":
    raise SystemExit(main())
