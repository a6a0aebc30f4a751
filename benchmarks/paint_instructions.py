"""Instructions and page faults of the start to the first paint (issue 15), checkouts side by side.

Run: ``python benchmarks/paint_instructions.py [--runs N] [--stop SAMPLE|PAINTED] [--bare] [TREE ...]``

Each TREE (a checkout of ZiPing; default: this one) starts benchmarks/paint_child.py ``app`` (this
checkout's paint_child, with the TREE's code: PAINT_CHILD_TREE; nothing is written into the TREE but
its ``__pycache__``) with the sample report, as gui_bench's first-paint
figure does, in a data folder of its own: compiled first, then two ordinary starts (the caches the
start keeps for the next one written), then ``--runs`` starts under valgrind's callgrind, ended
at once after the ``--stop`` stamp (paint_child's PAINT_CHILD_EXIT_AT: SAMPLE, the end of the
paint with the report, or PAINTED, the end of the shell's), and as many ordinary starts, the
checkouts taking turns. ``--bare`` adds the bare window (gui_bench's baseline) once.

Printed per checkout: millions of instructions from the process's start to the stamp (median and
range; a run differs from the next only by the hash seed: a few tenths of a million), the minor
page faults at the stamp in the ordinary starts (exact: memory touched), and their CPU ms (median;
the only figure the machine's load moves — gui_bench's alternation is for time).

Wall-clock ratios stay gui_bench's; this says where a change moved the work when a few per cent
are invisible in milliseconds, as benchmarks/edit_instructions.py does for an edit.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()
CHILD = HERE.parent / "paint_child.py"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", help="checkouts to measure (default: this one)")
    parser.add_argument("--runs", type=int, default=3, help="counted starts of each (3)")
    parser.add_argument(
        "--stop", default="SAMPLE", choices=("SAMPLE", "PAINTED"), help="the stamp counted to"
    )
    parser.add_argument("--bare", action="store_true", help="also the bare window")
    return parser.parse_args(argv)


def prepare(tree: Path) -> dict[str, str]:
    """Compile ``tree``, give it a data folder with the sample imported; return the starts' environment."""
    data = tempfile.mkdtemp(prefix="paint-instructions-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        ZIPING_DATA_DIR=data,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        PAINT_CHILD_TREE=str(tree),  # this checkout's paint_child, that checkout's code
    )
    subprocess.run([sys.executable, "-m", "compileall", "-q", "core", "gui", "main.py"], cwd=tree, check=True)
    import_sample = (
        "import sys; sys.path.insert(0, '.'); from gui.files import ensure_sample as e; print(e())"
    )
    sample = subprocess.run(
        [sys.executable, "-c", import_sample],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    env["BENCH_REPORT"] = sample.stdout.strip().splitlines()[-1]
    return env


def start(tree: Path, kind: str, env: dict[str, str], stop: str, counted: bool) -> tuple[float, int, float]:
    """One start of ``kind`` with ``tree``'s code: (M instructions or nan, minor faults, CPU ms) at ``stop``,
    counted by callgrind when ``counted``."""
    command = [sys.executable, str(CHILD), kind]
    out_file = ""
    if counted:
        out_file = str(Path(tempfile.mkdtemp(prefix="callgrind-paint-")) / "callgrind.out")
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", *command]
    try:
        done = subprocess.run(
            command,
            cwd=tree,
            env={**env, "PAINT_CHILD_EXIT_AT": stop},
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        if out_file:
            shutil.rmtree(Path(out_file).parent, ignore_errors=True)
    lines = done.stdout.splitlines()
    try:
        kernel = next(x for x in lines if x.startswith("KERNEL")).split()
        stamp = next(x for x in lines if x.startswith(stop)).split()
    except StopIteration:
        raise SystemExit(
            f"{tree} {kind}: no {stop} stamp\n{done.stdout[-1000:]}\n{done.stderr[-2000:]}"
        ) from None
    found = re.search(r"Collected : (\d+)", done.stderr)
    instructions = int(found.group(1)) / 1e6 if found else float("nan")
    return instructions, int(kernel[3]), float(stamp[2]) * 1000


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    trees = [Path(t).resolve() for t in args.trees] or [HERE.parent.parent]
    kinds = [(tree, "app") for tree in trees] + ([(trees[0], "bare")] if args.bare else [])
    envs = {tree: prepare(tree) for tree in trees}
    for tree, kind in kinds:
        for _ in range(2):  # the caches written (an ordinary start, to its end)
            subprocess.run(
                [sys.executable, str(CHILD), kind], cwd=tree, env=envs[tree], capture_output=True, check=True
            )
    found: dict[tuple[Path, str], list[tuple[float, int, float]]] = {k: [] for k in kinds}
    for _ in range(args.runs):
        for tree, kind in kinds:
            counted = start(tree, kind, envs[tree], args.stop, counted=True)
            plain = start(tree, kind, envs[tree], args.stop, counted=False)
            found[tree, kind].append((counted[0], plain[1], plain[2]))
    print(f"start to the end of the {args.stop} paint, {args.runs} starts each (sample report, offscreen):")
    for (tree, kind), runs in found.items():
        ir = [r[0] for r in runs]
        faults = [r[1] for r in runs]
        cpu = [r[2] for r in runs]
        print(
            f"  {kind:4} {statistics.median(ir):8.2f} M instructions [{min(ir):.2f}–{max(ir):.2f}], "
            f"minor faults {statistics.median(faults):.0f} [{min(faults)}–{max(faults)}], "
            f"CPU {statistics.median(cpu):.0f} ms  {tree}"
        )


if __name__ == "__main__":
    main()
