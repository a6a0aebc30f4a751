"""Print the packaged program's figures: bundle size, installer size, time to the first painted window.

    python benchmarks/package_bench.py                    # build the bundle into a temp folder first
    python benchmarks/package_bench.py --bundle dist/ZiPing --runs 7
    python benchmarks/package_bench.py --no-installer     # skip makensis (lzma of the bundle: ~70 s here)

Startup is measured from launching the process to the main window's first paint with the sample
report open (``--benchmark-startup``), offscreen, for the frozen program and for ``python main.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
EXE = "ZiPing.exe" if sys.platform == "win32" else "ZiPing"
sys.path.insert(0, str(INSTALLER))

from build import makensis, nsis_command, pyinstaller_command  # noqa: E402
from version_info import app_version  # noqa: E402


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_bundle(work: Path) -> Path:
    cmd = pyinstaller_command(work / "dist", work / "build", log_level="ERROR")
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    print(f"PyInstaller build                 {time.perf_counter() - start:7.1f} s")
    return work / "dist" / "ZiPing"


def print_bundle(bundle: Path) -> None:
    files = [p for p in bundle.rglob("*") if p.is_file()]
    print(f"bundle size 程序文件夹             {folder_size(bundle) / 2**20:7.1f} MB  ({len(files)} files)")
    internal = bundle / "_internal"
    parts = sorted(
        (
            (folder_size(p) if p.is_dir() else p.stat().st_size, p.name)
            for p in internal.iterdir()
            if not p.is_symlink()
        ),
        reverse=True,
    )[:6]
    for size, name in parts:
        print(f"  {name:<32} {size / 2**20:7.1f} MB")


def build_installer(bundle: Path, work: Path) -> None:
    program = makensis()
    if program is None:
        print("installer 安装程序                 (makensis not installed)")
        return
    out = work / f"ZiPing-{app_version()}-bench.exe"
    start = time.perf_counter()
    subprocess.run(
        nsis_command(program, bundle, out, check_only=False),
        cwd=INSTALLER,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    what = "" if sys.platform == "win32" else "  (Linux bundle packed: indicative)"
    print(
        f"installer size 安装程序            {out.stat().st_size / 2**20:7.1f} MB"
        f"  (makensis {time.perf_counter() - start:.0f} s){what}"
    )


def first_paint(cmd: list[str]) -> float:
    """Launch ``cmd`` with a fresh data folder; return seconds from launch to the first paint."""
    with tempfile.TemporaryDirectory(prefix="ziping-bench-") as data:
        env = {**os.environ, "ZIPING_DATA_DIR": data, "QT_QPA_PLATFORM": "offscreen"}
        start = time.time()
        done = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    stamp = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("FIRST_PAINT ")]
    if done.returncode != 0 or not stamp:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stdout[-500:]} {done.stderr[-1500:]}")
    return float(stamp[0]) - start


def print_startup(label: str, cmd: list[str], runs: int) -> None:
    times = [first_paint(cmd) for _ in range(runs)]
    print(
        f"{label:<34}{statistics.median(times):7.2f} s median, "
        f"{min(times):.2f}–{max(times):.2f} s over {runs} runs"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bundle", help="已构建的程序文件夹 / an existing bundle (else build one)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-installer", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ziping-package-bench-"))
    try:
        bundle = Path(args.bundle).resolve() if args.bundle else build_bundle(work)
        print_bundle(bundle)
        if not args.no_installer:
            build_installer(bundle, work)
        print("start → first painted window, sample open, offscreen 启动到首次绘制:")
        print_startup("  frozen 打包程序", [str(bundle / EXE), "--benchmark-startup"], args.runs)
        source = [sys.executable, "main.py", "--benchmark-startup"]
        print_startup("  source python main.py", source, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
