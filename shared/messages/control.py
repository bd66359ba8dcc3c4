"""The control messages' bodies: strict UTF-8 JSON objects (rare, small, read by people or policy).

Exact key set, exact types (``true`` is not a number, ``1.0`` is not an integer), no duplicate
keys, no NaN/Infinity (:mod:`shared.strict_json`), body at most ``MAX_CONTROL_BODY``.
``ENCODERS`` / ``DECODERS`` are this module's part of the dispatch in :mod:`shared.messages.wire`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from shared import strict_json
from shared.errors import ProtocolError, UnsupportedVersion
from shared.messages.fields import fail
from shared.messages.limits import MAX_CONTROL_BODY, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION
from shared.messages.types import (
    VERSION_MARK,
    ChatRecording,
    ChatText,
    ConsentDecision,
    ConsentRequest,
    End,
    Error,
    FileAccept,
    FileCancel,
    FileComplete,
    FileOffer,
    Hello,
    PermissionChange,
    PermissionRequest,
    SharingPaused,
    StreamSettings,
    SystemNotice,
    split_version_mark,
)
from shared.strict_json import StrictJSONError


def _json_body(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _parse_json(body: memoryview, name: str) -> dict[str, Any]:
    if len(body) > MAX_CONTROL_BODY:
        raise fail(f"{name} is longer than {MAX_CONTROL_BODY} bytes")
    try:
        text = bytes(body).decode("utf-8")
        obj = strict_json.loads(text)
    except StrictJSONError as exc:  # a key twice, NaN or Infinity
        raise fail(str(exc)) from None
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, huge ints
        raise fail(f"{name} is not valid JSON") from None
    if type(obj) is not dict:
        raise fail(f"{name} must be a JSON object")
    return obj


def _exact_keys(obj: dict[str, Any], keys: frozenset[str], name: str) -> None:
    if obj.keys() != keys:
        missing = sorted(keys - obj.keys())
        extra = sorted(obj.keys() - keys)
        raise fail(f"{name} has missing fields {missing} or unknown fields {extra}")


def _perm_list(value: object) -> frozenset[str]:
    if type(value) is not list:
        raise fail("permissions must be a list")
    result = frozenset(value) if all(type(v) is str for v in value) else None
    if result is None or len(result) != len(value):
        raise fail("permissions must be distinct names")
    if value != sorted(value):
        raise fail("permissions must be sorted")
    return result


_M = TypeVar("_M")


def _construct(factory: Callable[..., _M], **fields: Any) -> _M:
    """Build a message from decoded fields; field type errors become ProtocolError."""
    try:
        return factory(**fields)
    except ProtocolError:
        raise
    except (TypeError, ValueError):  # e.g. unhashable JSON values where a set is built
        raise fail(f"bad fields for {getattr(factory, '__name__', 'message')}") from None


_HELLO_KEYS = frozenset({"protocol_version", "app_version", "role", "name", "organisation"})


def _enc_hello(m: Hello) -> bytes:
    # The v1 key set exactly: a version-1 peer refuses any other key (docs/PROTOCOL.md 11).
    app = m.app_version
    if m.max_version is not None:
        app += f"{VERSION_MARK}{m.max_version}"
    return _json_body(
        {
            "protocol_version": m.protocol_version,
            "app_version": app,
            "role": m.role,
            "name": m.name,
            "organisation": m.organisation,
        }
    )


def _unsupported(oldest: int, newest: int) -> UnsupportedVersion:
    """The peer speaks versions ``oldest``..``newest`` and none of them is ours."""
    newer = oldest > PROTOCOL_VERSION
    spoken = str(oldest) if oldest == newest else f"{oldest} to {newest}"
    ours = (str(PROTOCOL_VERSION) if MIN_PROTOCOL_VERSION == PROTOCOL_VERSION
            else f"{MIN_PROTOCOL_VERSION} to {PROTOCOL_VERSION}")
    return UnsupportedVersion(
        f"The other side speaks Fernhilfe protocol version {spoken}, this program version "
        f"{ours}. Please update "
        + ("this program." if newer else "the other side's program.")
    )


def _dec_hello(body: memoryview) -> Hello:
    obj = _parse_json(body, "Hello")
    oldest = obj.get("protocol_version")
    app = obj.get("app_version")
    mark = split_version_mark(app)[1] if type(app) is str else None
    # Judged before the other fields: a peer of another version may have other fields.
    if type(oldest) is int and oldest > PROTOCOL_VERSION:
        raise _unsupported(oldest, max(oldest, mark or oldest))
    if type(oldest) is int and max(oldest, mark or oldest) < MIN_PROTOCOL_VERSION:
        raise _unsupported(oldest, max(oldest, mark or oldest))
    _exact_keys(obj, _HELLO_KEYS, "Hello")
    if mark is not None:
        obj["app_version"], obj["max_version"] = split_version_mark(app)  # type: ignore[arg-type]
    return _construct(Hello, **obj)


def _enc_perms(m: ConsentRequest | PermissionChange | PermissionRequest) -> bytes:
    return _json_body({"permissions": sorted(m.permissions)})


def _dec_consent_request(body: memoryview) -> ConsentRequest:
    obj = _parse_json(body, "ConsentRequest")
    _exact_keys(obj, frozenset({"permissions"}), "ConsentRequest")
    return ConsentRequest(permissions=_perm_list(obj["permissions"]))


def _dec_permission_change(body: memoryview) -> PermissionChange:
    obj = _parse_json(body, "PermissionChange")
    _exact_keys(obj, frozenset({"permissions"}), "PermissionChange")
    return PermissionChange(permissions=_perm_list(obj["permissions"]))


def _dec_permission_request(body: memoryview) -> PermissionRequest:
    obj = _parse_json(body, "PermissionRequest")
    _exact_keys(obj, frozenset({"permissions"}), "PermissionRequest")
    return PermissionRequest(permissions=_perm_list(obj["permissions"]))


def _enc_decision(m: ConsentDecision) -> bytes:
    return _json_body({"allowed": m.allowed, "permissions": sorted(m.permissions)})


def _dec_decision(body: memoryview) -> ConsentDecision:
    obj = _parse_json(body, "ConsentDecision")
    _exact_keys(obj, frozenset({"allowed", "permissions"}), "ConsentDecision")
    return ConsentDecision(allowed=obj["allowed"], permissions=_perm_list(obj["permissions"]))


def _enc_chat(m: ChatText) -> bytes:
    return _json_body({"text": m.text})


def _dec_chat(body: memoryview) -> ChatText:
    obj = _parse_json(body, "ChatText")
    _exact_keys(obj, frozenset({"text"}), "ChatText")
    return ChatText(text=obj["text"])


def _enc_end(m: End) -> bytes:
    return _json_body({"reason": m.reason})


def _dec_end(body: memoryview) -> End:
    obj = _parse_json(body, "End")
    _exact_keys(obj, frozenset({"reason"}), "End")
    return End(reason=obj["reason"])


def _enc_error(m: Error) -> bytes:
    return _json_body({"code": m.code, "message": m.message})


def _dec_error(body: memoryview) -> Error:
    obj = _parse_json(body, "Error")
    _exact_keys(obj, frozenset({"code", "message"}), "Error")
    return Error(code=obj["code"], message=obj["message"])


def _enc_stream_settings(m: StreamSettings) -> bytes:
    return _json_body({"quality": m.quality, "max_bytes_per_s": m.max_bytes_per_s})


def _dec_stream_settings(body: memoryview) -> StreamSettings:
    obj = _parse_json(body, "StreamSettings")
    _exact_keys(obj, frozenset({"quality", "max_bytes_per_s"}), "StreamSettings")
    return _construct(StreamSettings, **obj)


def _enc_chat_recording(m: ChatRecording) -> bytes:
    return _json_body({"recorded": m.recorded})


def _dec_chat_recording(body: memoryview) -> ChatRecording:
    obj = _parse_json(body, "ChatRecording")
    _exact_keys(obj, frozenset({"recorded"}), "ChatRecording")
    return _construct(ChatRecording, **obj)


def _enc_sharing_paused(m: SharingPaused) -> bytes:
    return _json_body({"paused": m.paused, "reason": m.reason})


def _dec_sharing_paused(body: memoryview) -> SharingPaused:
    obj = _parse_json(body, "SharingPaused")
    _exact_keys(obj, frozenset({"paused", "reason"}), "SharingPaused")
    return _construct(SharingPaused, **obj)


def _enc_system_notice(m: SystemNotice) -> bytes:
    return _json_body({"code": m.code})


def _dec_system_notice(body: memoryview) -> SystemNotice:
    obj = _parse_json(body, "SystemNotice")
    _exact_keys(obj, frozenset({"code"}), "SystemNotice")
    return _construct(SystemNotice, **obj)


def _enc_file_offer(m: FileOffer) -> bytes:
    return _json_body({"id": m.id, "name": m.name, "size": m.size, "sha256": m.sha256})


def _dec_file_offer(body: memoryview) -> FileOffer:
    obj = _parse_json(body, "FileOffer")
    _exact_keys(obj, frozenset({"id", "name", "size", "sha256"}), "FileOffer")
    return _construct(FileOffer, **obj)


def _enc_file_accept(m: FileAccept) -> bytes:
    return _json_body({"id": m.id, "offset": m.offset})


def _dec_file_accept(body: memoryview) -> FileAccept:
    obj = _parse_json(body, "FileAccept")
    _exact_keys(obj, frozenset({"id", "offset"}), "FileAccept")
    return _construct(FileAccept, **obj)


def _enc_file_complete(m: FileComplete) -> bytes:
    return _json_body({"id": m.id})


def _dec_file_complete(body: memoryview) -> FileComplete:
    obj = _parse_json(body, "FileComplete")
    _exact_keys(obj, frozenset({"id"}), "FileComplete")
    return _construct(FileComplete, **obj)


def _enc_file_cancel(m: FileCancel) -> bytes:
    return _json_body({"id": m.id, "direction": m.direction, "reason": m.reason})


def _dec_file_cancel(body: memoryview) -> FileCancel:
    obj = _parse_json(body, "FileCancel")
    _exact_keys(obj, frozenset({"id", "direction", "reason"}), "FileCancel")
    return _construct(FileCancel, **obj)


ENCODERS: dict[type, Callable[[Any], bytes]] = {
    Hello: _enc_hello,
    ConsentRequest: _enc_perms,
    ConsentDecision: _enc_decision,
    PermissionChange: _enc_perms,
    ChatText: _enc_chat,
    End: _enc_end,
    Error: _enc_error,
    StreamSettings: _enc_stream_settings,
    ChatRecording: _enc_chat_recording,
    SharingPaused: _enc_sharing_paused,
    SystemNotice: _enc_system_notice,
    PermissionRequest: _enc_perms,
    FileOffer: _enc_file_offer,
    FileAccept: _enc_file_accept,
    FileComplete: _enc_file_complete,
    FileCancel: _enc_file_cancel,
}

DECODERS: dict[int, Callable[[memoryview], Any]] = {
    Hello.TYPE: _dec_hello,
    ConsentRequest.TYPE: _dec_consent_request,
    ConsentDecision.TYPE: _dec_decision,
    PermissionChange.TYPE: _dec_permission_change,
    ChatText.TYPE: _dec_chat,
    End.TYPE: _dec_end,
    Error.TYPE: _dec_error,
    StreamSettings.TYPE: _dec_stream_settings,
    ChatRecording.TYPE: _dec_chat_recording,
    SharingPaused.TYPE: _dec_sharing_paused,
    SystemNotice.TYPE: _dec_system_notice,
    PermissionRequest.TYPE: _dec_permission_request,
    FileOffer.TYPE: _dec_file_offer,
    FileAccept.TYPE: _dec_file_accept,
    FileComplete.TYPE: _dec_file_complete,
    FileCancel.TYPE: _dec_file_cancel,
}
