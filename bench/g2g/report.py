"""The glass-to-glass verdict: Fernhilfe's figures over VNC's, against the product's targets."""

from __future__ import annotations

from typing import Any

#: Fernhilfe against VNC, and Fernhilfe alone: what the product promises.
TARGETS = {
    "screen_latency_p50_ratio_max": 0.6,
    "click_to_photon_p50_ratio_max": 0.8,
    "scroll_fps_ratio_min": 2.0,
    "scroll_bytes_ratio_max": 0.3,
    "idle_agent_cpu_pct_max": 2.0,
    "idle_bytes_per_s_max": 1024,
    "convergence_s_max": 0.5,
}


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b in (None, 0):
        return None
    return round(a / b, 3)


def summarise(ours: dict[str, Any], vnc: dict[str, Any]) -> dict[str, Any]:
    ratios = {
        "screen_latency_p50": ratio(
            ours["screen_latency"]["p50_ms"], vnc["screen_latency"]["p50_ms"]
        ),
        "click_to_photon_p50": ratio(
            ours["click_to_photon"]["p50_ms"], vnc["click_to_photon"]["p50_ms"]
        ),
        "scroll_fps": ratio(ours["scroll"]["fps"], vnc["scroll"]["fps"]),
        "scroll_bytes_per_s": ratio(
            ours["scroll"]["sent_bytes_per_s"], vnc["scroll"]["sent_bytes_per_s"]
        ),
    }
    idle = ours["idle"]
    idle_bytes = idle["sent_bytes_per_s"] + idle["received_bytes_per_s"]
    conv = ours.get("convergence", {})
    met = {
        "screen_latency_p50": _le(
            ratios["screen_latency_p50"], TARGETS["screen_latency_p50_ratio_max"]
        ),
        "click_to_photon_p50": _le(
            ratios["click_to_photon_p50"], TARGETS["click_to_photon_p50_ratio_max"]
        ),
        "scroll_fps": None
        if ratios["scroll_fps"] is None
        else ratios["scroll_fps"] >= TARGETS["scroll_fps_ratio_min"],
        "scroll_bytes_per_s": _le(ratios["scroll_bytes_per_s"], TARGETS["scroll_bytes_ratio_max"]),
        "idle_agent_cpu": _le(idle["cpu_pct"]["agent"], TARGETS["idle_agent_cpu_pct_max"]),
        "idle_bytes_per_s": idle_bytes < TARGETS["idle_bytes_per_s_max"],
        "convergence_0_5s": bool(
            conv.get("converged") == conv.get("trials")
            and conv.get("max_s") is not None
            and conv["max_s"] <= TARGETS["convergence_s_max"]
        ),
    }
    return {"ratios": ratios, "targets": {"limits": TARGETS, "met": met}}


def _le(x: float | None, limit: float) -> bool | None:
    return None if x is None else x <= limit

