"""Packaging: the frozen one-folder bundle runs its self-test, the NSIS script compiles, no network.

The bundle is built once per session (PyInstaller, ~20–40 s here) into a temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import types
from pathlib import Path

import pytest

from core.version import __version__

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
EXE = "ZiPing.exe" if sys.platform == "win32" else "ZiPing"
STEPS = (
    "样例报告",
    "打开报告",
    "检查",
    "评分",
    "导出 Word",
    "导出 Excel",
    "读回 Word",
    "读回 Excel",
    "主窗口",
)


def _load(name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, INSTALLER / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "ZIPING_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}


def _run(cmd: list[str], data_dir: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the one-folder bundle with installer/ziping.spec (once per session)."""
    pytest.importorskip("PyInstaller")
    out = tmp_path_factory.mktemp("pyinstaller")
    cmd = _load("build").pyinstaller_command(out / "dist", out / "work")
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    folder = out / "dist" / "ZiPing"
    assert (folder / EXE).is_file()
    return folder


def _internal(bundle: Path) -> Path:
    return bundle / "_internal"


# ---- the frozen program ----------------------------------------------------------------------
@pytest.mark.slow
def test_frozen_selftest_passes_every_step(bundle: Path, tmp_path: Path) -> None:
    done = _run([str(bundle / EXE), "--selftest"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"ZiPing {__version__} 自检") and "(frozen," in lines[0]
    for step in STEPS:
        assert any(line.startswith("[通过 OK]") and step in line for line in lines), step
    assert not any("[失败 FAIL]" in line for line in lines)
    assert any("总分 97.66" in line and "附件3-2" in line for line in lines)
    assert any("MainWindow" in line for line in lines)
    assert lines[-1] == f"自检通过 SELFTEST PASSED: {len(STEPS)} 步 steps"


@pytest.mark.slow
def test_frozen_selftest_fails_without_the_sample(bundle: Path, tmp_path: Path) -> None:
    """The self-test really checks: a bundle without its sample report exits non-zero."""
    broken = tmp_path / "broken"
    shutil.copytree(bundle, broken, symlinks=True)
    (_internal(broken) / "resources" / "sample" / "sample.json").unlink()
    done = _run([str(broken / EXE), "--selftest"], tmp_path)
    assert done.returncode == 1
    assert "[失败 FAIL] 样例报告" in done.stdout and "自检失败 SELFTEST FAILED" in done.stdout


@pytest.mark.slow
def test_frozen_version(bundle: Path, tmp_path: Path) -> None:
    done = _run([str(bundle / EXE), "--version"], tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"ZiPing 绩效自评助手 {__version__}"


@pytest.mark.slow
def test_bundle_carries_resources(bundle: Path) -> None:
    resources = _internal(bundle) / "resources"
    shipped = {p.relative_to(ROOT / "resources") for p in (ROOT / "resources").rglob("*") if p.is_file()}
    bundled = {p.relative_to(resources) for p in resources.rglob("*") if p.is_file()}
    assert shipped <= bundled
    for name in ("templates/mof.json", "sample/sample.json", "icons/ziping.ico", "icons/zpdb.ico"):
        assert (resources / name).is_file(), name


@pytest.mark.slow
def test_bundle_leaves_out_unused_qt(bundle: Path) -> None:
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()]
    unwanted = re.compile(
        r"Qt6?(Network|Qml|Quick|WebEngine|3D|Multimedia|Pdf|Sql|Designer)|qtiff|qwebp"
        r"|/tls/|/networkinformation/|/sqldrivers/|libgtk|numpy|tkinter"
    )
    assert [f for f in files if unwanted.search(f)] == []
    translations = [f for f in files if "/translations/" in f and "PySide6" in f]
    assert translations and all("zh_CN" in f for f in translations)
    plugins = {f.split("/plugins/")[1].split("/")[0] for f in files if "PySide6" in f and "/plugins/" in f}
    assert "platforms" in plugins and plugins <= {
        "platforms",
        "styles",
        "imageformats",
        "iconengines",
        "xcbglintegrations",
        "platforminputcontexts",
        "printsupport",
    }


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qoffscreen.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6\\plugins\\imageformats\\qico.dll", True),
        ("PySide6\\plugins\\imageformats\\qtiff.dll", False),
        ("PySide6\\plugins\\tls\\qschannelbackend.dll", False),
        ("PySide6\\plugins\\networkinformation\\qnetworklistmanager.dll", False),
        ("PySide6\\translations\\qtbase_zh_CN.qm", True),
        ("PySide6\\translations\\qtbase_de.qm", False),
        ("PySide6\\translations\\qtmultimedia_zh_CN.qm", False),
        ("PySide6\\Qt6Network.dll", False),
        ("PySide6\\Qt6Widgets.dll", True),
        ("PySide6\\Qt6Svg.dll", True),
        ("PySide6\\opengl32sw.dll", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("resources/templates/mof.json", True),
    ],
)
def test_bundle_filter_on_windows_and_linux_names(dest: str, kept: bool) -> None:
    """The Windows wheel lays Qt out differently (no Qt/ folder, .dll): the same rules apply."""
    assert _load("bundle_filter").keep(dest) is kept


# ---- the installer script --------------------------------------------------------------------
def _makensis() -> str:
    program = shutil.which("makensis")
    if program is None:
        pytest.skip("makensis 未安装 (apt-get install nsis)")
    return program


def _compile_nsi(script: Path, out: Path) -> subprocess.CompletedProcess[str]:
    defines = _load("version_info").nsis_defines()
    cmd = [
        _makensis(),
        "-V2",
        "-WX",
        "-DCHECK_ONLY=1",
        f"-DOUT_FILE={out}",
        *(f"-D{k}={v}" for k, v in defines.items()),
        str(script),
    ]
    return subprocess.run(cmd, cwd=INSTALLER, capture_output=True, text=True, timeout=300, check=False)


def test_nsis_script_compiles(tmp_path: Path) -> None:
    out = tmp_path / f"ZiPing-{__version__}-nsis-check.exe"
    done = _compile_nsi(INSTALLER / "ziping.nsi", out)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert out.read_bytes()[:2] == b"MZ"


def test_nsis_compile_catches_script_errors(tmp_path: Path) -> None:
    broken = INSTALLER / f".broken-{os.getpid()}.nsi"
    text = (INSTALLER / "ziping.nsi").read_text(encoding="utf-8")
    broken.write_text(text.replace("  Call RegisterFileType\n", "  Call RegisterFileTyp\n"), encoding="utf-8")
    try:
        done = _compile_nsi(broken, tmp_path / "broken.exe")
    finally:
        broken.unlink()
    assert done.returncode != 0
    assert "RegisterFileTyp" in done.stdout + done.stderr


def test_nsis_script_promises() -> None:
    """Per-user without admin, Chinese, association opens the file, uninstall keeps reports."""
    text = (INSTALLER / "ziping.nsi").read_text(encoding="utf-8")
    for needle in (
        "Unicode true",
        "Target amd64-unicode",
        "RequestExecutionLevel user",
        'InstallDir "$LOCALAPPDATA\\Programs\\${APP_ID}"',
        '!insertmacro MUI_LANGUAGE "SimpChinese"',
        '!define APP_NAME "绩效自评助手"',
        '"$SMPROGRAMS\\${APP_NAME}.lnk"',
        '"$DESKTOP\\${APP_NAME}.lnk"',
        '"Software\\Classes\\.zpdb" "" "${PROG_ID}"',
        '\'"$INSTDIR\\${APP_EXE}" "%1"\'',
        "DefaultIcon",
        "/ALLUSERS",
        "$PROGRAMFILES64",
    ):
        assert needle in text, needle
    uninstall = text[text.index('Section "Uninstall"') :]
    removals = re.findall(r"^\s*(Delete|RMDir)\s+(.*)$", uninstall, re.M)
    assert ("RMDir", '"$INSTDIR"') in removals  # only if empty
    for command, target in removals:
        assert "zpdb" not in target.lower() and "*" not in target, target
        assert not (command == "RMDir" and target.startswith("/r") and target != '/r "$INSTDIR\\_internal"')
    assert "setup.exe" not in text.lower()


def _wine(tmp_path: Path) -> tuple[str, dict[str, str]]:
    program = shutil.which("wine")
    if program is None:
        pytest.skip("wine 未安装 (apt-get install wine wine64)")
    env = {
        **os.environ,
        "WINEPREFIX": str(tmp_path / "prefix"),
        "HOME": str(tmp_path / "home"),
        "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "winemenubuilder.exe=d",
    }  # no Linux menu entries
    (tmp_path / "home").mkdir()
    return program, env


def _reg(wine: str, env: dict[str, str], key: str) -> str:
    done = subprocess.run([wine, "reg", "query", key], env=env, capture_output=True, timeout=120, check=False)
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def _fake_installer(tmp_path: Path) -> Path:
    """Compile the real script around a stand-in bundle (seconds instead of minutes of lzma)."""
    fake = tmp_path / "bundle"
    (fake / "_internal" / "resources" / "icons").mkdir(parents=True)
    shutil.copy(INSTALLER / "zpdb.ico", fake / "_internal" / "resources" / "icons")
    (fake / "ZiPing.exe").write_bytes(b"MZ stand-in")
    setup = tmp_path / "ZiPing-win64.exe"
    defines = {**_load("version_info").nsis_defines(), "BUNDLE_DIR": str(fake), "OUT_FILE": str(setup)}
    cmd = [_makensis(), "-V1", "-WX", *(f"-D{k}={v}" for k, v in defines.items()), "ziping.nsi"]
    subprocess.run(cmd, cwd=INSTALLER, check=True, timeout=300)
    return setup


@pytest.mark.slow
def test_installer_installs_per_user_and_uninstall_keeps_reports(tmp_path: Path) -> None:
    """Under wine: silent per-user install, shortcuts, .zpdb association; uninstall keeps reports."""
    wine, env = _wine(tmp_path)
    setup = _fake_installer(tmp_path)
    assert subprocess.run([wine, str(setup), "/S"], env=env, timeout=300, check=False).returncode == 0

    user = tmp_path / "prefix" / "drive_c" / "users" / os.environ.get("USER", "root")
    home = user / "AppData" / "Local" / "Programs" / "ZiPing"
    assert (home / "ZiPing.exe").read_bytes() == b"MZ stand-in"
    assert (tmp_path / "home" / "绩效自评助手.lnk").is_file()  # wine's Desktop is $HOME
    assert (user / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs/绩效自评助手.lnk").is_file()
    command = _reg(wine, env, r"HKCU\Software\Classes\ZiPing.Report\shell\open\command")
    assert r'\Programs\ZiPing\ZiPing.exe" "%1"' in command
    assert "ZiPing.Report" in _reg(wine, env, r"HKCU\Software\Classes\.zpdb")
    assert r"icons\zpdb.ico" in _reg(wine, env, r"HKCU\Software\Classes\ZiPing.Report\DefaultIcon")
    assert _reg(wine, env, r"HKLM\Software\Classes\ZiPing.Report") == ""  # nothing machine-wide

    (home / "我的报告.zpdb").write_text("report", encoding="utf-8")
    inst = "C:" + str(home).split("drive_c", 1)[1].replace("/", "\\")
    done = subprocess.run(
        [wine, str(home / "uninstall.exe"), "/S", f"_?={inst}"], env=env, timeout=300, check=False
    )
    assert done.returncode == 0
    assert not (home / "ZiPing.exe").exists() and not (home / "_internal").exists()
    assert (home / "我的报告.zpdb").read_text(encoding="utf-8") == "report"
    assert not (tmp_path / "home" / "绩效自评助手.lnk").exists()
    assert _reg(wine, env, r"HKCU\Software\Classes\ZiPing.Report") == ""
    assert _reg(wine, env, r"HKCU\Software\Classes\.zpdb") == ""


@pytest.mark.slow
def test_installer_all_users_option(tmp_path: Path) -> None:
    """Under wine (an administrator there): /ALLUSERS installs into Program Files, registers in HKLM."""
    wine, env = _wine(tmp_path)
    setup = _fake_installer(tmp_path)
    done = subprocess.run([wine, str(setup), "/S", "/ALLUSERS"], env=env, timeout=300, check=False)
    assert done.returncode == 0
    drive = tmp_path / "prefix" / "drive_c"
    assert (drive / "Program Files" / "ZiPing" / "ZiPing.exe").is_file()
    assert (drive / "users" / "Public" / "Desktop" / "绩效自评助手.lnk").is_file()
    command = _reg(wine, env, r"HKLM\Software\Classes\ZiPing.Report\shell\open\command")
    assert r'C:\Program Files\ZiPing\ZiPing.exe" "%1"' in command
    assert _reg(wine, env, r"HKCU\Software\Classes\ZiPing.Report") == ""


# ---- version resource and icons --------------------------------------------------------------
def test_windows_version_resource(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The text PyInstaller embeds parses and carries the Chinese name and core/version.py's version."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is installed by the [package] extra only")
    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))  # only needed on Windows
    import PyInstaller.compat

    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    from PyInstaller.utils.win32 import versioninfo

    vi = _load("version_info")
    info = versioninfo.load_version_info_from_text_file(str(vi.write_version_info(tmp_path / "v.txt")))
    raw = info.toRaw()
    for text in ("绩效自评助手", __version__, vi.COMPANY, vi.DESCRIPTION):
        assert text.encode("utf-16-le") in raw, text
    assert info.ffi.fileVersionMS >> 16 == int(__version__.split(".")[0])
    assert vi.version_numbers("1.2.3rc1") == (1, 2, 3, 0)


@pytest.mark.parametrize("name", ["ziping.ico", "zpdb.ico"])
def test_icons_hold_every_size(name: str) -> None:
    data = (INSTALLER / name).read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(data)
        sizes.add(width or 256)
    assert {16, 32, 48, 256} <= sizes


# ---- from source -----------------------------------------------------------------------------
NO_NETWORK = r"""
import runpy, socket, sys

def refuse(*args, **kwargs):
    sys.stderr.write("NETWORK ATTEMPT %r\n" % (args[:2],))
    raise OSError("network disabled by test")

class NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        refuse(*args)

socket.socket = NoSocket
socket.create_connection = refuse
socket.getaddrinfo = refuse
try:
    socket.create_connection(("example.com", 80))
except OSError:
    pass
else:
    sys.exit(3)
sys.argv = ["main.py", "--selftest"]
runpy.run_path("main.py", run_name="__main__")
"""


def test_selftest_never_touches_the_network(tmp_path: Path) -> None:
    done = _run([sys.executable, "-c", NO_NETWORK], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "自检通过 SELFTEST PASSED" in done.stdout
    assert done.stderr.count("NETWORK ATTEMPT") == 1  # only the wrapper's own probe


def test_main_version_from_source(tmp_path: Path) -> None:
    done = _run([sys.executable, "main.py", "--version"], tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"ZiPing 绩效自评助手 {__version__}"


def test_resources_found_when_frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from core import paths

    assert (paths.resources_dir() / "templates" / "mof.json").is_file()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.sample_report_path() == tmp_path / "resources" / "sample" / "sample.json"


def test_selftest_writes_a_log_without_a_console(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A windowed .exe has no stdout: the self-test then writes selftest.log in the data folder."""
    from gui import selftest

    monkeypatch.setenv("ZIPING_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "stdout", None)
    out = selftest._output()
    out.write("x")
    out.close()
    assert (tmp_path / "selftest.log").read_text(encoding="utf-8") == "x"


def test_windows_workflow_builds_and_keeps_the_installer() -> None:
    text = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    for needle in (
        "runs-on: windows-latest",
        'python-version: "3.11"',
        'pip install -e ".[test,package]"',
        "choco install nsis",
        "python installer/build.py",
        "--selftest",
        "actions/upload-artifact",
        "path: dist/ZiPing-*-win64.exe",
    ):
        assert needle in text, needle
    try:
        import yaml
    except ImportError:
        return
    steps = yaml.safe_load(text)["jobs"]["installer"]["steps"]
    order = [s.get("name", s.get("uses", "")) for s in steps]
    assert order.index("Install NSIS") < order.index("Build (tests, bundle, self-test, installer)")
    assert order[-1] == "Keep the installer"
