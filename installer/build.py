"""Build ZiPing for release in one command: tests → PyInstaller → NSIS installer.

    python installer/build.py                 # everything; artefacts in dist/
    python installer/build.py --skip-tests    # only the bundle and the installer

On Windows this makes dist/ZiPing/ (the program folder) and dist/ZiPing-<version>-win64.exe (the
installer). PyInstaller cannot cross-compile, so on Linux it makes the Linux bundle and only checks
that installer/ziping.nsi compiles (/DCHECK_ONLY; --nsis-bundle packs the Linux bundle instead, to
see the installer's size). Prints the artefacts' paths at the end; exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from version_info import app_version, nsis_defines  # noqa: E402

WINDOWS = sys.platform == "win32"
EXE_NAME = "ZiPing.exe" if WINDOWS else "ZiPing"


class BuildError(Exception):
    """A build step failed (the message says which)."""


def _run(cmd: list[str], cwd: Path = ROOT) -> None:
    print("→ " + " ".join(cmd), flush=True)
    if subprocess.run(cmd, cwd=cwd, check=False).returncode != 0:
        raise BuildError(f"失败 failed: {' '.join(cmd[:3])} …")


def run_tests(extra: list[str]) -> None:
    """Run the whole test suite (except the bundle test: this script builds the bundle itself)."""
    _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--ignore=tests/test_package.py",
            *extra,
        ]
    )


def pyinstaller_command(dist: Path, work: Path, log_level: str = "WARN") -> list[str]:
    """Return the PyInstaller call that builds the one-folder bundle from installer/ziping.spec."""
    return [
        sys.executable,
        "-m",
        "PyInstaller",
        str(HERE / "ziping.spec"),
        "--noconfirm",
        "--clean",
        "--log-level",
        log_level,
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
    ]


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller with installer/ziping.spec; return the one-folder bundle."""
    _run(pyinstaller_command(dist, work))
    bundle = dist / "ZiPing"
    if not (bundle / EXE_NAME).is_file():
        raise BuildError(f"PyInstaller 未生成 {bundle / EXE_NAME}")
    return bundle


def selftest_bundle(bundle: Path) -> None:
    """Run the frozen program's --selftest (offscreen, own data folder) and show its lines."""
    with tempfile.TemporaryDirectory(prefix="ziping-build-") as data:
        env = {**os.environ, "ZIPING_DATA_DIR": data, "QT_QPA_PLATFORM": "offscreen"}
        print(f"→ {bundle / EXE_NAME} --selftest", flush=True)
        done = subprocess.run(
            [str(bundle / EXE_NAME), "--selftest"],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=300,
            check=False,
        )
        log = Path(data) / "selftest.log"  # a windowed .exe without a console writes here
        print(done.stdout or (log.read_text(encoding="utf-8") if log.is_file() else ""), end="")
    if done.returncode != 0:
        tail = done.stderr[-2000:]
        raise BuildError(f"打包后的程序自检失败 frozen --selftest exit {done.returncode}: {tail}")


def makensis() -> str | None:
    """Return the makensis program, or None when NSIS is not installed."""
    found = shutil.which("makensis")
    if found:
        return found
    for base in (Path(r"C:\Program Files (x86)\NSIS"), Path(r"C:\Program Files\NSIS")):
        if (base / "makensis.exe").is_file():
            return str(base / "makensis.exe")
    return None


def nsis_command(program: str, bundle: Path, out_file: Path, check_only: bool) -> list[str]:
    """Return the makensis command line (warnings are errors: a sloppy script fails here)."""
    defines = {**nsis_defines(), "BUNDLE_DIR": str(bundle), "OUT_FILE": str(out_file)}
    if check_only:
        defines["CHECK_ONLY"] = "1"
    flag = "/" if WINDOWS else "-"
    return [
        program,
        f"{flag}V2",
        f"{flag}WX",
        *(f"{flag}D{k}={v}" for k, v in defines.items()),
        str(HERE / "ziping.nsi"),
    ]


def build_installer(bundle: Path, dist: Path, check_only: bool) -> Path | None:
    """Compile installer/ziping.nsi; return the installer (None when makensis is missing)."""
    program = makensis()
    if program is None:
        print("未找到 makensis，跳过安装程序 — NSIS not installed, no installer", flush=True)
        return None
    suffix = "-nsis-check" if check_only else ("-win64" if WINDOWS else "-linux-bundle-nsis-check")
    out_file = dist / f"ZiPing-{app_version()}{suffix}.exe"
    _run(nsis_command(program, bundle, out_file, check_only), cwd=HERE)
    return out_file


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="构建 ZiPing 安装包 / build the ZiPing bundle and installer")
    parser.add_argument("--skip-tests", action="store_true", help="不运行测试 / do not run the tests")
    parser.add_argument("--dist", default=str(ROOT / "dist"), help="输出目录 / output folder")
    parser.add_argument("--work", default=str(ROOT / "build" / "pyinstaller"), help="临时目录 / work folder")
    parser.add_argument(
        "--nsis-bundle",
        action="store_true",
        help="Linux: 把 Linux 程序包打入安装程序看大小 / pack the Linux bundle (size)",
    )
    parser.add_argument("--pytest-args", default="", help="传给 pytest 的参数 / extra pytest arguments")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    dist, work = Path(args.dist).resolve(), Path(args.work).resolve()
    try:
        if not args.skip_tests:
            run_tests(args.pytest_args.split())
        bundle = build_bundle(dist, work)
        selftest_bundle(bundle)
        installer = build_installer(bundle, dist, check_only=not WINDOWS and not args.nsis_bundle)
    except BuildError as exc:
        print(f"构建失败 BUILD FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"程序文件夹 bundle:    {bundle}")
    print(f"主程序 program:       {bundle / EXE_NAME}")
    if installer is not None:
        label = "安装程序 installer" if WINDOWS else "安装脚本检查 NSIS check"
        print(f"{label}: {installer} ({installer.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
