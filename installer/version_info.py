"""The Windows version resource (文件属性 → 详细信息) of ZiPing.exe, generated from core/version.py.

PyInstaller reads the text written here (``EXE(version=…)``); makensis reads the same fields through
``nsis_defines``. Chinese strings go in the 0804 (简体中文) / codepage 1200 (UTF-16) table.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCT_NAME = "绩效自评助手"
PRODUCT_NAME_EN = "ZiPing"
COMPANY = "ZiPing 绩效自评助手项目组"
DESCRIPTION = "绩效自评助手（预算绩效自评表、评分表与自评报告离线编制工具）"
COPYRIGHT = "© 2024 ZiPing 绩效自评助手项目组；Qt 按 LGPLv3 授权使用"
EXE_NAME = "ZiPing.exe"

TEMPLATE = """# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
        StringStruct('CompanyName', {company!r}),
        StringStruct('FileDescription', {description!r}),
        StringStruct('FileVersion', {version!r}),
        StringStruct('InternalName', {internal!r}),
        StringStruct('LegalCopyright', {copyright!r}),
        StringStruct('OriginalFilename', {exe!r}),
        StringStruct('ProductName', {product!r}),
        StringStruct('ProductVersion', {version!r})
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])
  ]
)
"""


def app_version() -> str:
    """Return ``__version__`` from core/version.py without importing the package."""
    text = (ROOT / "core" / "version.py").read_text(encoding="utf-8")
    match = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    if not match:
        raise ValueError("core/version.py 中找不到 __version__")
    return match.group(1)


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """Turn "0.1.0", "1.2.3rc1" or "2.0" into the four numbers Windows wants."""
    parts = [int(m.group()) if (m := re.match(r"\d+", p)) else 0 for p in version.split(".")[:4]]
    parts += [0] * (4 - len(parts))
    return parts[0], parts[1], parts[2], parts[3]


def version_info_text(version: str | None = None) -> str:
    """Return the version resource as PyInstaller's VSVersionInfo text."""
    version = version or app_version()
    return TEMPLATE.format(
        numbers=version_numbers(version),
        company=COMPANY,
        description=DESCRIPTION,
        version=version,
        internal=PRODUCT_NAME_EN,
        copyright=COPYRIGHT,
        exe=EXE_NAME,
        product=PRODUCT_NAME,
    )


def write_version_info(target: Path, version: str | None = None) -> Path:
    """Write the version resource text to ``target`` (UTF-8) and return it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(version_info_text(version), encoding="utf-8")
    return target


def nsis_defines(version: str | None = None) -> dict[str, str]:
    """Return the /D defines makensis gets, so the installer shows the same name and version."""
    version = version or app_version()
    return {"VERSION": version, "VERSION4": ".".join(map(str, version_numbers(version)))}


if __name__ == "__main__":
    sys.stdout.write(version_info_text())
