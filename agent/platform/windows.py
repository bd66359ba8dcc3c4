"""What Windows needs before the technician's input can work: elevation, Ctrl+Alt+Del.

Elevated windows. Windows (User Interface Privilege Isolation, UIPI) silently drops input that
a program without administrator rights injects into a window of a program that has them (Task
Manager, an installer, regedit). The technician would click into the void. So the agent asks
who owns the window in front (:func:`foreground_is_elevated`) and whether it is elevated itself
(:func:`agent_is_elevated`); the pure watcher in :mod:`agent.platform.elevation` decides when to
tell the customer, who may then restart Fernhilfe with administrator rights
(:func:`restart_elevated`: ShellExecuteExW with the "runas" verb, i.e. Windows' own UAC prompt).

Ctrl+Alt+Del. Windows never takes the secure attention sequence from injected keys. The one
documented route is ``SendSAS`` (sas.dll), and only for a service or a program with UIAccess,
and only where the SoftwareSASGeneration policy allows that kind of caller
(:func:`sas_decision`, pure). Elsewhere the customer has to press it: :func:`send_sas` says so
instead of doing nothing.

Every decision here is a pure function tested on any platform; the ctypes calls run only on
Windows (``tests/platform/test_windows_*.py`` on the Windows runner). Every foreign function
has argtypes and restype; errors come from ``use_last_error``.
"""

from __future__ import annotations

import ctypes
import enum
import os
import subprocess
import sys
from collections.abc import Sequence
from ctypes import wintypes
from dataclasses import dataclass

# --------------------------------------------------------------------------- pure decisions

ERROR_ACCESS_DENIED = 5
ERROR_CANCELLED = 1223  # ShellExecuteExW "runas": the customer answered No in the UAC prompt

#: The agent's options a restarted agent gets again (and nothing else: a future option that
#: carries something secret must never reach a command line other programs can read).
RESTART_OPTIONS = ("--relay", "--lang")


class RestartOutcome(enum.Enum):
    """What became of "restart as administrator"."""

    STARTED = "started"  # Windows started the elevated agent: this one quits
    CANCELLED = "cancelled"  # the customer said No in the UAC prompt: this one goes on
    FAILED = "failed"  # Windows could not start it (missing file, policy): this one goes on


def restart_outcome(succeeded: bool, error: int) -> RestartOutcome:
    """ShellExecuteExW's answer (its BOOL and, on failure, the last error) as an outcome."""
    if succeeded:
        return RestartOutcome.STARTED
    return RestartOutcome.CANCELLED if error == ERROR_CANCELLED else RestartOutcome.FAILED


def restart_arguments(argv: Sequence[str]) -> list[str]:
    """The options of ``argv`` (without the program) that the restarted agent gets again.

    Only ``--relay`` and ``--lang`` pass, in either spelling (``--relay URL``,
    ``--relay=URL``); one-shot modes (``--show-audit``, ``--records``) and anything unknown
    are left out. Session codes and keys are never options; this keeps it that way."""
    kept: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if name in RESTART_OPTIONS:
            if "=" in arg:
                kept.append(arg)
            elif i + 1 < len(argv):
                kept += [arg, argv[i + 1]]
                i += 1
        i += 1
    return kept


def restart_command(executable: str, argv: Sequence[str], frozen: bool) -> tuple[str, str]:
    """(file, parameters) for ShellExecuteExW: the same agent, the options it may keep.

    A one-file build (``frozen``) is its own executable; from source the interpreter runs
    ``-m agent``. The parameters are quoted the way Windows programs split them
    (``subprocess.list2cmdline``)."""
    args = restart_arguments(argv[1:])
    if not frozen:
        args = ["-m", "agent", *args]
    return executable, subprocess.list2cmdline(args)


def judge_foreground(pid: int, own_pid: int, open_error: int | None,
                     token_elevated: bool | None) -> bool | None:
    """Is the process behind the window in front elevated? True, False, or None (unknown).

    ``open_error``: the last error when OpenProcess or OpenProcessToken failed (None when both
    worked); access denied means a process more privileged than ours, so it counts as
    elevated. No window (pid 0) is unknown, and so is our own window: the customer clicking
    the notice brings it to the front, which says nothing about the technician's target."""
    if pid in (0, own_pid):
        return None
    if open_error is not None:
        return True if open_error == ERROR_ACCESS_DENIED else None
    return token_elevated


#: SoftwareSASGeneration (HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System):
#: 0 or missing = nobody, 1 = services, 2 = Ease of Access programs (UIAccess), 3 = both.
SAS_POLICY_KEY = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System"
SAS_POLICY_VALUE = "SoftwareSASGeneration"


@dataclass(frozen=True)
class SasDecision:
    """May this agent call SendSAS, and with which ``AsUser``; else why not (for the log)."""

    allowed: bool
    as_user: bool = False
    why: str = ""


def sas_decision(policy: int | None, is_service: bool, ui_access: bool) -> SasDecision:
    """Decide from the policy value and what this process is (docs of ``SendSAS``).

    A service may when the policy says 1 or 3 and calls ``SendSAS(FALSE)``; a program of the
    signed-in user with UIAccess may when it says 2 or 3 and calls ``SendSAS(TRUE)`` (the
    documented ``AsUser``: TRUE when the caller runs as the current user). Everything else —
    the usual agent started from Downloads — may not."""
    value = policy or 0
    if is_service:
        if value in (1, 3):
            return SasDecision(True, as_user=False)
        return SasDecision(False, why=f"SoftwareSASGeneration={value} does not allow services")
    if not ui_access:
        return SasDecision(False, why="the agent is neither a service nor has UIAccess")
    if value in (2, 3):
        return SasDecision(True, as_user=True)
    return SasDecision(False, why=f"SoftwareSASGeneration={value} does not allow UIAccess "
                                  "programs")


_CONTROL = frozenset({"ControlLeft", "ControlRight"})
_ALT = frozenset({"AltLeft", "AltRight"})
_DELETE = frozenset({"Delete", "NumpadDecimal"})


def is_sas_chord(code: str, held: frozenset[str] | set[str]) -> bool:
    """Is pressing ``code`` while ``held`` are down Ctrl+Alt+Del (what Windows never takes
    from injected keys)? Numpad Del counts, as it does on a real keyboard."""
    return code in _DELETE and bool(held & _CONTROL) and bool(held & _ALT)


class SasOutcome(enum.Enum):
    """What became of the technician's Ctrl+Alt+Del."""

    SENT = "sent"
    NOT_ALLOWED = "not_allowed"  # Windows does not allow it here: the customer must press it
    FAILED = "failed"  # allowed, but sas.dll is missing or the call failed


# --------------------------------------------------------------------------- Win32 (ctypes)

TOKEN_QUERY = 0x0008
TOKEN_ELEVATION_CLASS = 20  # TOKEN_INFORMATION_CLASS.TokenElevation
TOKEN_UI_ACCESS_CLASS = 26  # TOKEN_INFORMATION_CLASS.TokenUIAccess
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
SEE_MASK_NOCLOSEPROCESS = 0x00000040
SEE_MASK_NOASYNC = 0x00000100
SW_SHOWNORMAL = 1


def last_error() -> int:
    """The calling thread's last Win32 error as ctypes saved it (0 elsewhere)."""
    if sys.platform == "win32":
        return ctypes.get_last_error()
    return 0


class SHELLEXECUTEINFOW(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.DWORD), ("fMask", wintypes.ULONG),
                ("hwnd", wintypes.HWND), ("lpVerb", wintypes.LPCWSTR),
                ("lpFile", wintypes.LPCWSTR), ("lpParameters", wintypes.LPCWSTR),
                ("lpDirectory", wintypes.LPCWSTR), ("nShow", ctypes.c_int),
                ("hInstApp", wintypes.HINSTANCE), ("lpIDList", wintypes.LPVOID),
                ("lpClass", wintypes.LPCWSTR), ("hkeyClass", wintypes.HKEY),
                ("dwHotKey", wintypes.DWORD), ("hIconOrMonitor", wintypes.HANDLE),
                ("hProcess", wintypes.HANDLE)]


class _Win32:
    """kernel32, advapi32, user32 and shell32 with argtypes/restype for each call used."""

    kernel32: ctypes.CDLL
    advapi32: ctypes.CDLL
    user32: ctypes.CDLL
    shell32: ctypes.CDLL

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise OSError("this needs Windows")
        k = self.kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        a = self.advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
        u = self.user32 = ctypes.WinDLL("user32", use_last_error=True)
        s = self.shell32 = ctypes.WinDLL("shell32", use_last_error=True)
        k.GetCurrentProcess.argtypes = []
        k.GetCurrentProcess.restype = wintypes.HANDLE
        k.GetCurrentProcessId.argtypes = []
        k.GetCurrentProcessId.restype = wintypes.DWORD
        k.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
        k.OpenProcess.restype = wintypes.HANDLE
        k.CloseHandle.argtypes = [wintypes.HANDLE]
        k.CloseHandle.restype = wintypes.BOOL
        k.ProcessIdToSessionId.argtypes = [wintypes.DWORD, ctypes.POINTER(wintypes.DWORD)]
        k.ProcessIdToSessionId.restype = wintypes.BOOL
        a.OpenProcessToken.argtypes = [wintypes.HANDLE, wintypes.DWORD,
                                       ctypes.POINTER(wintypes.HANDLE)]
        a.OpenProcessToken.restype = wintypes.BOOL
        a.GetTokenInformation.argtypes = [wintypes.HANDLE, ctypes.c_int, wintypes.LPVOID,
                                          wintypes.DWORD, ctypes.POINTER(wintypes.DWORD)]
        a.GetTokenInformation.restype = wintypes.BOOL
        u.GetForegroundWindow.argtypes = []
        u.GetForegroundWindow.restype = wintypes.HWND
        u.GetWindowThreadProcessId.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
        u.GetWindowThreadProcessId.restype = wintypes.DWORD
        s.ShellExecuteExW.argtypes = [ctypes.POINTER(SHELLEXECUTEINFOW)]
        s.ShellExecuteExW.restype = wintypes.BOOL

    def token_dword(self, process: int, info_class: int) -> int | None:
        """One DWORD of a process's token (TokenElevation, TokenUIAccess); None when the
        token cannot be opened or read (last error kept for the caller)."""
        token = wintypes.HANDLE()
        if not self.advapi32.OpenProcessToken(process, TOKEN_QUERY, ctypes.byref(token)):
            return None
        try:
            value = wintypes.DWORD()
            size = wintypes.DWORD()
            if not self.advapi32.GetTokenInformation(token, info_class, ctypes.byref(value),
                                                     ctypes.sizeof(value), ctypes.byref(size)):
                return None
            return int(value.value)
        finally:
            self.kernel32.CloseHandle(token)


_win32: _Win32 | None = None


def _api() -> _Win32:
    global _win32
    if _win32 is None:
        _win32 = _Win32()
    return _win32


def agent_is_elevated() -> bool:
    """True when this agent runs with administrator rights (its token is elevated)."""
    api = _api()
    return bool(api.token_dword(api.kernel32.GetCurrentProcess(), TOKEN_ELEVATION_CLASS))


def foreground_window() -> tuple[int, int] | None:
    """(window handle, owning process id) of the window in front; None when there is none
    (e.g. while the secure desktop of a UAC prompt is up)."""
    api = _api()
    hwnd = api.user32.GetForegroundWindow()
    if not hwnd:
        return None
    pid = wintypes.DWORD()
    api.user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
    return int(hwnd), int(pid.value)


def process_is_elevated(pid: int) -> bool | None:
    """Does process ``pid`` run elevated? :func:`judge_foreground` has the rules (access
    denied counts as elevated; our own process and pid 0 are unknown)."""
    api = _api()
    own = int(api.kernel32.GetCurrentProcessId())
    if pid in (0, own):
        return judge_foreground(pid, own, None, None)
    process = api.kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not process:
        return judge_foreground(pid, own, last_error(), None)
    try:
        elevated = api.token_dword(process, TOKEN_ELEVATION_CLASS)
        error = last_error() if elevated is None else None
    finally:
        api.kernel32.CloseHandle(process)
    return judge_foreground(pid, own, error, None if elevated is None else bool(elevated))


def foreground_is_elevated() -> tuple[int | None, bool | None]:
    """(the window in front, is its process elevated?), each None when unknown: what
    :class:`agent.platform.elevation.Sample` takes."""
    front = foreground_window()
    if front is None:
        return None, None
    hwnd, pid = front
    return hwnd, process_is_elevated(pid)


def restart_elevated(argv: Sequence[str]) -> RestartOutcome:
    """Start this agent again with administrator rights: Windows shows its UAC prompt.

    Blocks until the customer answered it. ``argv`` is the agent's ``sys.argv``; only the
    options :func:`restart_arguments` keeps are passed on."""
    api = _api()
    frozen = bool(getattr(sys, "frozen", False))
    file, params = restart_command(sys.executable, argv, frozen)
    info = SHELLEXECUTEINFOW()
    info.cbSize = ctypes.sizeof(SHELLEXECUTEINFOW)
    info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC
    info.lpVerb = "runas"
    info.lpFile = file
    info.lpParameters = params
    info.lpDirectory = os.getcwd()
    info.nShow = SW_SHOWNORMAL
    ok = bool(api.shell32.ShellExecuteExW(ctypes.byref(info)))
    outcome = restart_outcome(ok, 0 if ok else last_error())
    if info.hProcess:
        api.kernel32.CloseHandle(info.hProcess)
    return outcome


def _sas_policy() -> int | None:
    """The SoftwareSASGeneration policy value, None when it is not set."""
    if sys.platform != "win32":
        return None
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, SAS_POLICY_KEY) as key:
            value, kind = winreg.QueryValueEx(key, SAS_POLICY_VALUE)
    except OSError:
        return None
    return int(value) if kind == winreg.REG_DWORD else None


def sas_allowed() -> SasDecision:
    """The decision for this process: the policy, whether it is a service (session 0), and
    whether its token has UIAccess."""
    api = _api()
    session = wintypes.DWORD()
    pid = api.kernel32.GetCurrentProcessId()
    is_service = bool(api.kernel32.ProcessIdToSessionId(pid, ctypes.byref(session))
                      and session.value == 0)
    ui_access = bool(api.token_dword(api.kernel32.GetCurrentProcess(), TOKEN_UI_ACCESS_CLASS))
    return sas_decision(_sas_policy(), is_service, ui_access)


def send_sas() -> SasOutcome:
    """Ctrl+Alt+Del through ``SendSAS`` where Windows allows it; else what the customer must
    be told. ``SendSAS`` returns nothing: "sent" means the call was made."""
    decision = sas_allowed()
    if not decision.allowed:
        return SasOutcome.NOT_ALLOWED
    if sys.platform != "win32":
        return SasOutcome.FAILED
    try:
        sas = ctypes.WinDLL("sas", use_last_error=True)
        sas.SendSAS.argtypes = [wintypes.BOOL]
        sas.SendSAS.restype = None
        sas.SendSAS(decision.as_user)
    except OSError:
        return SasOutcome.FAILED
    return SasOutcome.SENT
