"""Benchmark the schedule solver on generated programs of several sizes.

    python -m bench.scheduler [--sizes 50,100,200,400] [--time-limit 60] [--seed 0]

Each size runs in its own subprocess, so the peak memory (``ru_maxrss``) is that size's
alone. Every schedule is checked by the independent checker in
tests/support/schedule_checker.py; "hard" counts the violations it finds (always 0, or
something is wrong). "first" is the time to the first schedule that meets every hard rule;
"gap" is (objective - bound) / objective, 0 when the schedule is proven best.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

COLUMNS = (
    ("residents", "residents", "{}"),
    ("variables", "variables", "{}"),
    ("first", "first feasible (s)", "{:.1f}"),
    ("total", "total (s)", "{:.1f}"),
    ("status", "status", "{}"),
    ("objective", "objective", "{:g}"),
    ("bound", "bound", "{:g}"),
    ("gap", "gap", "{:.2%}"),
    ("hard", "hard violations", "{}"),
    ("peak_mb", "peak memory (MB)", "{:.0f}"),
)


def run_one(residents: int, time_limit: float, seed: int) -> dict:
    """Generate, solve and check one program; return the measurements."""
    from programs.bundle.generator import generate_bundle
    from scheduling.solver import SolveOptions, problem_from_bundle, schedule_export, solve
    from tests.support.schedule_checker import check_schedule

    bundle = generate_bundle(residents=residents, seed=seed, slug=f"bench-{residents}")
    started = time.perf_counter()
    result = solve(problem_from_bundle(bundle), SolveOptions(time_limit_s=time_limit, seed=seed))
    total = time.perf_counter() - started
    if result.assignments:
        hard = len(check_schedule(bundle, schedule_export(bundle, None, result)))
    else:
        hard = None
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {
        "residents": residents,
        "variables": result.num_variables,
        "first": result.time_to_first_s,
        "total": total,
        "status": result.status,
        "objective": result.objective,
        "bound": result.best_bound,
        "gap": result.gap,
        "hard": hard,
        "peak_mb": peak_kb / 1024,
    }


def table(rows: list[dict]) -> str:
    """Format measurements as a Markdown table."""

    def cell(row: dict, key: str, fmt: str) -> str:
        value = row.get(key)
        return "-" if value is None else fmt.format(value)

    lines = ["| " + " | ".join(title for _, title, _ in COLUMNS) + " |"]
    lines.append("|" + "|".join("---" for _ in COLUMNS) + "|")
    for row in rows:
        lines.append("| " + " | ".join(cell(row, key, fmt) for key, _, fmt in COLUMNS) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200,400")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.time_limit, args.seed)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        command = [
            sys.executable,
            "-m",
            "bench.scheduler",
            f"--one={size}",
            f"--time-limit={args.time_limit}",
            f"--seed={args.seed}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            rows.append({"residents": size, "status": "ERROR"})
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{size} residents: {rows[-1]['status']} in {rows[-1]['total']:.1f} s", flush=True)
    print(table(rows))
    return 0 if all(row.get("hard") == 0 for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
