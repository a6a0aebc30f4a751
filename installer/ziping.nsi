; 绩效自评助手 (ZiPing) — Windows installer (NSIS 3, Unicode, 简体中文, 64-bit).
;
; Built by installer/build.py after PyInstaller:
;   makensis /DVERSION=0.1.0 /DVERSION4=0.1.0.0 /DBUNDLE_DIR=dist\ZiPing /DOUT_FILE=dist\ZiPing-0.1.0-win64.exe installer\ziping.nsi
; /DCHECK_ONLY packs one small file instead of the bundle: only checks that the script compiles.
;
; Default: install for the current user only — no administrator rights, no UAC prompt — into
; %LOCALAPPDATA%\Programs\ZiPing. Run the installer as administrator (or pass /ALLUSERS) to choose
; an all-users install into Program Files. Silent: ZiPing-x.y.z-win64.exe /S [/ALLUSERS] [/D=dir].
; The uninstaller removes the program only: reports (*.zpdb) and the user data folder are kept.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef VERSION4
  !define VERSION4 "0.0.0.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\dist\ZiPing"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "..\dist\ZiPing-${VERSION}-win64.exe"
!endif

!define APP_NAME "绩效自评助手"
!define APP_ID "ZiPing"
!define APP_EXE "ZiPing.exe"
!define PUBLISHER "ZiPing 绩效自评助手项目组"
!define PROG_ID "ZiPing.Report"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define ICON_DIR "_internal\resources\icons"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"
!include "x64.nsh"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP_NAME} ${VERSION}"

Var AllUsers          ; 1 = install for every user of this computer (needs administrator)
Var IsAdmin           ; 1 = the installer runs elevated
Var RadioMe
Var RadioAll
Var UserDir           ; %LOCALAPPDATA%\Programs\ZiPing of the user running the installer

; ---- pages ------------------------------------------------------------------------------------
!define MUI_ICON "ziping.ico"
!define MUI_UNICON "ziping.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${APP_NAME}用于编制预算绩效自评表、评分表和自评报告，全程离线使用，不连接网络。$\r$\n$\r$\n默认只为当前用户安装，不需要管理员权限。$\r$\n$\r$\n点击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
Page custom ModePageCreate ModePageLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行 ${APP_NAME}"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本机卸载 ${APP_NAME}。您的报告文件（*.zpdb）和用户数据文件夹不会被删除。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "© ${PUBLISHER}"

; ---- install mode -----------------------------------------------------------------------------
!macro SetMode ALL
  ${If} ${ALL} == 1
    SetShellVarContext all
    StrCpy $AllUsers 1
  ${Else}
    SetShellVarContext current
    StrCpy $AllUsers 0
  ${EndIf}
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME}需要 64 位 Windows（Windows 10 或更新版本）。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 == "Admin"
    StrCpy $IsAdmin 1
  ${Else}
    StrCpy $IsAdmin 0
  ${EndIf}
  !insertmacro SetMode 0
  StrCpy $UserDir "$LOCALAPPDATA\Programs\${APP_ID}"
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    ${If} $IsAdmin != 1
      MessageBox MB_ICONSTOP "为所有用户安装需要管理员权限：请以管理员身份运行安装程序。" /SD IDOK
      SetErrorLevel 740
      Quit
    ${EndIf}
    !insertmacro SetMode 1
    Call DefaultDir
  ${EndIf}
FunctionEnd

; Put $INSTDIR where the chosen mode installs, unless the user chose a folder (/D= or the page).
Function DefaultDir
  ${If} $INSTDIR == $UserDir
  ${OrIf} $INSTDIR == "$PROGRAMFILES64\${APP_ID}"
  ${OrIf} $INSTDIR == ""
    ${If} $AllUsers == 1
      StrCpy $INSTDIR "$PROGRAMFILES64\${APP_ID}"
    ${Else}
      StrCpy $INSTDIR $UserDir
    ${EndIf}
  ${EndIf}
FunctionEnd

Function ModePageCreate
  !insertmacro MUI_HEADER_TEXT "选择安装方式" "为谁安装${APP_NAME}？"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateRadioButton} 0 10u 100% 12u "仅为我安装（推荐，不需要管理员权限）"
  Pop $RadioMe
  ${NSD_CreateRadioButton} 0 30u 100% 12u "为这台电脑的所有用户安装（需要管理员权限）"
  Pop $RadioAll
  ${NSD_CreateLabel} 12u 46u 95% 36u "如需为所有用户安装，请关闭本程序，右键点击安装程序并选择“以管理员身份运行”。"
  Pop $0
  ${If} $IsAdmin == 1
    ShowWindow $0 ${SW_HIDE}
  ${Else}
    EnableWindow $RadioAll 0
  ${EndIf}
  ${If} $AllUsers == 1
    ${NSD_Check} $RadioAll
  ${Else}
    ${NSD_Check} $RadioMe
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function ModePageLeave
  ${NSD_GetState} $RadioAll $0
  ${If} $0 == ${BST_CHECKED}
    !insertmacro SetMode 1
  ${Else}
    !insertmacro SetMode 0
  ${EndIf}
  Call DefaultDir
FunctionEnd

; ---- install ----------------------------------------------------------------------------------
Section "${APP_NAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An older version's program files go first (never *.zpdb: reports are never kept in _internal).
  RMDir /r "$INSTDIR\_internal"
!ifdef CHECK_ONLY
  File "/oname=${APP_EXE}" "ziping.ico"
!else
  File /r "${BUNDLE_DIR}\*.*"
!endif
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  Call RegisterFileType
  Call WriteUninstallEntry
SectionEnd

Function RegisterFileType
  ; SHCTX = HKCU for the current user, HKLM for all users (follows SetShellVarContext).
  WriteRegStr SHCTX "Software\Classes\.zpdb" "" "${PROG_ID}"
  WriteRegStr SHCTX "Software\Classes\.zpdb" "Content Type" "application/x-ziping-report"
  WriteRegStr SHCTX "Software\Classes\.zpdb\OpenWithProgids" "${PROG_ID}" ""
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}" "" "绩效自评报告"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}" "FriendlyTypeName" "绩效自评报告"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\DefaultIcon" "" "$INSTDIR\${ICON_DIR}\zpdb.ico"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\shell" "" "open"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\shell\open" "" "用${APP_NAME}打开(&O)"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
  WriteRegStr SHCTX "Software\Classes\Applications\${APP_EXE}\SupportedTypes" ".zpdb" ""
  ; Tell Explorer the association changed (SHCNE_ASSOCCHANGED), so the icon shows at once.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
FunctionEnd

Function WriteUninstallEntry
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "AllUsers" $AllUsers
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" $0
FunctionEnd

; ---- uninstall: the program only; reports and the user data folder stay -----------------------
Function un.onInit
  SetRegView 64
  SetShellVarContext current
  ReadRegDWORD $0 HKLM "${UNINST_KEY}" "AllUsers"
  ReadRegStr $1 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 == 1
  ${AndIf} $1 == $INSTDIR
    UserInfo::GetAccountType
    Pop $2
    ${If} $2 != "Admin"
      MessageBox MB_ICONSTOP "${APP_NAME}是为所有用户安装的：请以管理员身份运行卸载程序。" /SD IDOK
      SetErrorLevel 740
      Quit
    ${EndIf}
    SetShellVarContext all
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  ; Only what the installer put there: the program and its _internal folder. Never RMDir /r
  ; $INSTDIR, never *.zpdb, never the user data folder (%LOCALAPPDATA%\ZiPing: settings, backups).
  Delete "$INSTDIR\${APP_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  ReadRegStr $0 SHCTX "Software\Classes\.zpdb" ""
  ${If} $0 == "${PROG_ID}"
    DeleteRegValue SHCTX "Software\Classes\.zpdb" ""
    DeleteRegValue SHCTX "Software\Classes\.zpdb" "Content Type"
  ${EndIf}
  DeleteRegValue SHCTX "Software\Classes\.zpdb\OpenWithProgids" "${PROG_ID}"
  DeleteRegKey /ifempty SHCTX "Software\Classes\.zpdb\OpenWithProgids"
  DeleteRegKey /ifempty SHCTX "Software\Classes\.zpdb"
  DeleteRegKey SHCTX "Software\Classes\${PROG_ID}"
  DeleteRegKey SHCTX "Software\Classes\Applications\${APP_EXE}"
  DeleteRegKey SHCTX "${UNINST_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
