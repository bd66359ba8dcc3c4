"""Full-screen motion as H.264 (issue 16): the codec, the motion policy, the frame encoder's
switch to VIDEO and back to exact pixels, and what a hostile agent can do with VIDEO rects.

Real libx264 and libavcodec (PyAV's wheel); the clock is injected everywhere.
"""

from __future__ import annotations

import contextlib
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from shared.codec import CodecError, Encoding, FrameBudget, ResourceLimit
from shared.codec.decode import RectDecoder
from shared.codec.frame import FrameEncoder
from shared.codec.motion import MotionPolicy
from shared.codec.video import (
    FLAG_KEYFRAME,
    MAX_BITRATE,
    MAX_REF_FRAMES,
    MIN_BITRATE,
    VideoDecoder,
    VideoEncoder,
    available,
    check_nal_units,
    max_video_payload,
    rate_to_bitrate,
)

VIDEO = int(Encoding.VIDEO)
pytestmark = pytest.mark.skipif(not available(), reason="PyAV with libx264 is a dependency")


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(((a[..., :3].astype(np.float64) - b[..., :3]) ** 2).mean())
    return 99.0 if mse == 0 else 10 * float(np.log10(255 ** 2 / mse))


def _pan(n: int, w: int, h: int, seed: int = 3) -> list[np.ndarray]:
    """A photo panning diagonally: every pixel changes every frame, nothing is a pure scroll
    of whole rows (the COPY detector must not explain it)."""
    big = photo(h + 3 * n, w + 5 * n, seed=seed)
    return [np.ascontiguousarray(big[3 * i : 3 * i + h, 5 * i : 5 * i + w]) for i in range(n)]


def _stream(n: int = 12, w: int = 128, h: int = 96) -> list[bytes]:
    enc = VideoEncoder(w, h, 0.0, bitrate=2_000_000)
    return [enc.encode(f, i / 30) for i, f in enumerate(_pan(n, w, h))]


# ------------------------------------------------------------------------------- the codec


def test_a_moving_photo_round_trips_within_a_psnr_bound() -> None:
    w, h = 640, 360
    enc = VideoEncoder(w, h, 0.0, bitrate=4_000_000)
    dec = VideoDecoder()
    fb = np.zeros((h, w, 4), np.uint8)
    for i, frame in enumerate(_pan(30, w, h)):
        payload = enc.encode(frame, i / 30)
        assert payload[0] == (FLAG_KEYFRAME if i == 0 else 0)
        dec.decode(fb, w, h, memoryview(payload))
        assert _psnr(fb, frame) > 30, i
        assert (fb[..., 3] == 255).all()


def test_the_bitrate_follows_the_link() -> None:
    w, h = 640, 360
    frames = _pan(60, w, h)
    sizes = {}
    for rate in (2_000_000, 500_000):
        enc = VideoEncoder(w, h, 0.0, bitrate=rate)
        sizes[rate] = sum(len(enc.encode(f, i / 30)) for i, f in enumerate(frames[1:], 1))
    assert sizes[500_000] < 0.5 * sizes[2_000_000]
    assert rate_to_bitrate(None) == 8_000_000
    assert rate_to_bitrate(500_000) == int(500_000 * 8 * 0.85)
    assert rate_to_bitrate(10) == MIN_BITRATE
    assert rate_to_bitrate(300_000_000) == MAX_BITRATE  # loopback: no 80 Mbit/s film


def test_a_keyframe_on_demand_lets_a_new_decoder_join() -> None:
    w, h = 128, 96
    enc = VideoEncoder(w, h, 0.0)
    frames = _pan(5, w, h)
    for i in range(3):
        enc.encode(frames[i], i / 30)
    enc.force_keyframe()
    payload = enc.encode(frames[3], 0.1)
    assert payload[0] == FLAG_KEYFRAME
    fb = np.zeros((h, w, 4), np.uint8)
    VideoDecoder().decode(fb, w, h, memoryview(payload))
    assert _psnr(fb, frames[3]) > 30


def test_odd_sizes_are_refused_by_the_encoder() -> None:
    with pytest.raises(ValueError):
        VideoEncoder(101, 100, 0.0)
    with pytest.raises(ValueError):
        VideoEncoder(100, 100, 0.0).encode(np.zeros((100, 102, 4), np.uint8), 0.0)


def test_bytes_per_second_follow_the_bitrate_at_any_frame_rate() -> None:
    """libx264 budgets per picture at a nominal rate: at 60 pictures a second it would send
    twice the bitrate unless the encoder scales it by the measured frame rate."""
    w, h = 320, 192
    frames = _pan(120, w, h)
    rate = 1_000_000
    per_second = {}
    for fps in (30, 60):
        enc = VideoEncoder(w, h, 0.0, bitrate=rate)
        total = sum(len(enc.encode(f, i / fps)) for i, f in enumerate(frames[1:], 1))
        per_second[fps] = total * 8 / (len(frames) / fps)
    assert per_second[60] < 1.4 * rate
    assert per_second[60] < 1.4 * per_second[30]


# ------------------------------------------------------------------------------- the policy


def test_policy_switches_on_after_a_window_of_motion_and_off_after_rest() -> None:
    p = MotionPolicy()
    t = 0.0
    states = []
    for _ in range(12):  # 60 Hz of full-screen change
        states.append(p.update(t, 1.0))
        t += 1 / 60
    assert not states[0] and not states[3]
    assert states[-1]
    on_at = states.index(True)
    assert 0.15 <= on_at / 60 <= 0.3
    # small changes inside the region keep it on; rest turns it off after 0.3 s
    assert p.update(t, 0.05) and p.update(t + 0.29, 0.01)
    assert not p.update(t + 0.31, 0.0)
    assert p.switches == 2


def test_policy_switches_on_slow_links_too() -> None:
    """Four frames a second (a full link): three big changes in a row are enough."""
    p = MotionPolicy()
    assert [p.update(i / 4, 1.0) for i in range(4)] == [False, False, True, True]


def test_policy_ignores_scrolls_single_changes_and_small_changes() -> None:
    for share, scrolled in ((1.0, True), (0.3, False)):
        p = MotionPolicy()
        assert not any(p.update(i / 60, share, scrolled) for i in range(60))
    p = MotionPolicy()  # a slide change every half second: one frame each, never video
    assert not any(p.update(i / 60, 1.0 if i % 30 == 0 else 0.0) for i in range(300))


def test_policy_is_not_fooled_by_grabs_that_found_nothing() -> None:
    """A 60 Hz film grabbed twice per frame (an ack's grab finds the same picture): the empty
    grabs are no frames, so the film still goes to video within the window; and a still screen
    grabbed often does not keep old changes around for a later single change."""
    p = MotionPolicy()
    states = []
    for i in range(24):
        t = i / 60
        states.append(p.update(t, 1.0))
        p.update(t + 0.004, 0.0)
    assert states[-1] and 0.15 <= states.index(True) / 60 <= 0.3
    p = MotionPolicy()
    for i in range(3):  # three window switches, then a still screen polled for a second
        p.update(i / 60, 1.0)
    for i in range(3, 60):
        p.update(i / 60, 0.0)
    assert not p.update(1.0, 1.0)  # one change after the rest is no film


def test_policy_goes_back_to_video_at_once_when_motion_returns_soon() -> None:
    """A slideshow: 0.5 s cross-fades, 1 s rests. The first fade needs a window, the next ones
    switch at their first frame; each rest turns video off (the slide is then made exact)."""
    p = MotionPolicy()
    ons = []
    for i in range(180):
        t = i / 60
        fading = (i % 90) < 30
        on = p.update(t, 1.0 if fading else 0.0)
        if fading and i % 90 == 0:
            ons.append(on)
        if i % 90 == 89:
            assert not on
    assert ons == [False, True]
    p.update(100.0, 1.0)  # long after: a window again
    assert not p.active


def test_policy_does_not_flap() -> None:
    """Motion that starts and stops every 0.2 s: never more than one switch each way a
    window plus a rest apart."""
    p = MotionPolicy()
    switches_at = []
    last = False
    for i in range(600):
        t = i / 60
        on = p.update(t, 1.0 if (i // 12) % 2 == 0 else 0.0)
        if on != last:
            switches_at.append(t)
            last = on
    gaps = np.diff(switches_at)
    assert len(switches_at) <= 2  # it stays on: the pauses (0.2 s) are shorter than a rest
    assert all(g >= 0.3 for g in gaps)
    p.reset()
    assert not p.active


# ------------------------------------------------------------------------------- the encoder


def _apply(dec: RectDecoder, fb: np.ndarray, rects: list) -> None:
    for r in rects:
        dec.decode_rect(fb, r.x, r.y, r.w, r.h, r.encoding, r.payload)


def test_frame_encoder_switches_full_screen_motion_to_video_and_back_to_exact() -> None:
    w, h = 640, 480
    enc = FrameEncoder()
    dec = RectDecoder()
    fb = np.zeros((h, w, 4), np.uint8)
    now = 0.0
    kinds = []
    frames = _pan(40, w, h)
    for frame in frames:
        rects, changed = enc.encode(frame, now)
        assert changed
        _apply(dec, fb, rects)
        kinds.append({r.encoding for r in rects})
        now += 1 / 30
    video = [VIDEO in k for k in kinds]
    assert not video[0] and video[-1]
    first = video.index(True)
    assert all(video[first:])  # once on, it stays on while the screen moves
    assert _psnr(fb, frames[-1]) > 30
    assert enc.video.stats["keyframes"] == 1
    # at rest: video stops and the region is repainted exactly
    for _ in range(20):
        rects, _changed = enc.encode(frames[-1], now)
        assert all(r.encoding != VIDEO for r in rects)
        _apply(dec, fb, rects)
        now += 1 / 30
    assert not enc.video.policy.active
    assert np.array_equal(fb, frames[-1])
    # and a new motion starts a new stream with a keyframe
    for frame in frames[::-1]:
        rects, _changed = enc.encode(frame, now)
        _apply(dec, fb, rects)
        now += 1 / 30
    assert enc.video.stats["keyframes"] == 2
    assert _psnr(fb, frames[0]) > 30


def test_a_scroll_stays_copy_rects() -> None:
    w, h = 640, 480
    doc = text_document(h * 3, w)
    enc = FrameEncoder()
    now = 0.0
    for i in range(40):
        rects, _changed = enc.encode(np.ascontiguousarray(doc[8 * i : 8 * i + h]), now)
        assert all(r.encoding != VIDEO for r in rects)
        now += 1 / 60


def test_video_covers_only_the_moving_region_and_an_odd_edge_goes_exact() -> None:
    """A screen of odd size whose lower part plays a video: the picture covers the moving
    box only (even-sized); the odd last pixel row inside its tiles is sent exactly."""
    w, h = 321, 255
    top = text_document(h, w)
    frames = []
    for f in _pan(30, w, h - 64):
        full = top.copy()
        full[64:] = f
        frames.append(full)
    enc = FrameEncoder()
    dec = RectDecoder()
    fb = np.zeros((h, w, 4), np.uint8)
    _apply(dec, fb, enc.encode(frames[0], 0.0)[0])  # the first full paint, then it plays
    now = 1.0
    for frame in frames:
        rects, _changed = enc.encode(frame, now)
        _apply(dec, fb, rects)
        now += 1 / 30
    assert enc.video.region == (0, 64, 320, 190)
    assert np.array_equal(fb[:64], frames[-1][:64])
    assert np.array_equal(fb[64:, 320], frames[-1][64:, 320])
    assert np.array_equal(fb[254], frames[-1][254])
    for _ in range(20):
        rects, _changed = enc.encode(frames[-1], now)
        _apply(dec, fb, rects)
        now += 1 / 30
    assert np.array_equal(fb, frames[-1])


def test_a_reset_restarts_the_stream_with_a_keyframe() -> None:
    w, h = 256, 192
    enc = FrameEncoder()
    now = 0.0
    frames = _pan(30, w, h)
    for frame in frames[:20]:
        enc.encode(frame, now)
        now += 1 / 30
    assert enc.video.policy.active
    enc.reset()  # e.g. the link was resumed: frames in flight are lost
    assert not enc.video.policy.active and enc.video.encoder is None
    dec = RectDecoder()  # a console that saw nothing of the old stream
    fb = np.zeros((h, w, 4), np.uint8)
    for frame in frames[20:]:
        rects, _changed = enc.encode(frame, now)
        _apply(dec, fb, rects)
        now += 1 / 30
    assert _psnr(fb, frames[-1]) > 30


def test_a_much_slower_link_restarts_the_stream_and_lossless_mode_stops_it() -> None:
    w, h = 256, 192
    enc = FrameEncoder()
    dec = RectDecoder()
    fb = np.zeros((h, w, 4), np.uint8)
    now = 0.0
    frames = _pan(40, w, h)
    for i, frame in enumerate(frames[:30]):
        if i == 20:
            enc.target_rate = 20_000  # 160 kbit/s: far under the 8 Mbit/s stream's VBV
        _apply(dec, fb, enc.encode(frame, now)[0])
        now += 1 / 30
    assert enc.video.stats["keyframes"] == 2
    assert enc.video.encoder is not None and enc.video.encoder.vbv_rate == MIN_BITRATE
    enc.quality = None  # the technician chose lossless only: no video from the next frame
    for frame in frames[30:]:
        rects, _changed = enc.encode(frame, now)
        assert all(r.encoding != VIDEO for r in rects)
        _apply(dec, fb, rects)
        now += 1 / 30
    assert not enc.video.policy.active
    assert np.array_equal(fb, frames[-1])


def test_a_screen_too_thin_for_h264_stays_rects() -> None:
    enc = FrameEncoder()
    rng = np.random.default_rng(1)
    for i in range(30):
        frame = rng.integers(0, 256, (1, 512, 4), dtype=np.uint8)
        rects, _changed = enc.encode(frame, i / 30)
        assert all(r.encoding != VIDEO for r in rects)


def test_without_pyav_the_encoder_never_sends_video() -> None:
    enc = FrameEncoder()
    enc.video.enabled = False
    now = 0.0
    for frame in _pan(30, 256, 192):
        rects, _changed = enc.encode(frame, now)
        assert all(r.encoding != VIDEO for r in rects)
        now += 1 / 30


# ------------------------------------------------------------------------------- hostile input


def test_video_rects_count_against_the_decoded_bytes_budget() -> None:
    budget = FrameBudget(4096, 4096)
    budget.add(4096, 4096, VIDEO)
    with pytest.raises(ResourceLimit):
        budget.add(4096, 4096, VIDEO)


@pytest.mark.parametrize(("payload", "w", "h", "error"), [
    (b"", 64, 64, CodecError),
    (b"\x01", 64, 64, CodecError),
    (b"\x02" + b"\0" * 10, 64, 64, CodecError),  # an unknown flag bit
    (b"\x00" + b"\0" * 10, 64, 64, CodecError),  # continues a stream that never started
    (b"\x01" + b"\0" * 10, 63, 64, CodecError),  # odd size
    (b"\x01" + b"\0" * (max_video_payload(16, 16)), 16, 16, ResourceLimit),
    (b"\x01" + b"\0\0\0\1" + b"\xff" * 200, 64, 64, CodecError),  # garbage NAL
])
def test_malformed_video_payloads_are_codec_errors(
        payload: bytes, w: int, h: int, error: type[Exception]) -> None:
    fb = np.zeros((64, 64, 4), np.uint8)
    with pytest.raises(error):
        RectDecoder().decode_rect(fb, 0, 0, w, h, VIDEO, payload)


def test_a_stream_of_another_size_or_a_picture_of_another_size_is_refused() -> None:
    stream = _stream(3, 128, 96)
    fb = np.zeros((200, 200, 4), np.uint8)
    dec = RectDecoder()
    dec.decode_rect(fb, 0, 0, 128, 96, VIDEO, stream[0])
    with pytest.raises(CodecError, match="different size"):
        dec.decode_rect(fb, 0, 0, 64, 96, VIDEO, stream[1])
    with pytest.raises(CodecError):  # a keyframe of 128x96 said to be 64x48: max_pixels/shape
        RectDecoder().decode_rect(fb, 0, 0, 64, 48, VIDEO, stream[0])
    with pytest.raises(CodecError):  # larger rect than the picture
        RectDecoder().decode_rect(fb, 0, 0, 130, 96, VIDEO, stream[0])
    with contextlib.suppress(CodecError):  # two access units in one payload: one picture or
        # a CodecError, nothing else
        RectDecoder().decode_rect(fb, 0, 0, 128, 96, VIDEO, stream[0] + stream[1][1:])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=st.binary(max_size=400), w=st.integers(1, 64), h=st.integers(1, 64))
def test_random_video_payloads_only_raise_codec_errors(payload: bytes, w: int, h: int) -> None:
    fb = np.zeros((64, 64, 4), np.uint8)
    with contextlib.suppress(CodecError):
        RectDecoder().decode_rect(fb, 0, 0, w, h, VIDEO, payload)


_STREAM = None


def _real_stream() -> list[bytes]:
    global _STREAM
    if _STREAM is None:
        _STREAM = _stream(8, 128, 96)
    return _STREAM


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_streams_only_raise_codec_errors_and_stay_fast(data: st.DataObject) -> None:
    """A real stream with bytes flipped, cut or inserted: never a crash or hang, the work
    bounded (each payload is decoded within a fraction of a second), the picture's size
    never other than the rect's."""
    stream = list(_real_stream())
    i = data.draw(st.integers(0, len(stream) - 1))
    p = bytearray(stream[i])
    for _ in range(data.draw(st.integers(1, 8))):
        kind = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = data.draw(st.integers(1, max(1, len(p) - 1)))
        if kind == "flip" and pos < len(p):
            p[pos] ^= data.draw(st.integers(1, 255))
        elif kind == "cut":
            del p[pos : pos + data.draw(st.integers(1, 64))]
        else:
            p[pos:pos] = data.draw(st.binary(min_size=1, max_size=64))
    stream[i] = bytes(p)
    dec = RectDecoder()
    fb = np.zeros((96, 128, 4), np.uint8)
    for payload in stream:
        t0 = time.perf_counter()
        try:
            dec.decode_rect(fb, 0, 0, 128, 96, VIDEO, payload)
        except CodecError:
            break
        finally:
            assert time.perf_counter() - t0 < 1.0
        assert fb.shape == (96, 128, 4)


def _ue(v: int) -> str:
    b = bin(v + 1)[2:]
    return "0" * (len(b) - 1) + b


def _sps(profile: int = 66, refs: int = 1, poc_type: int = 0, cycle: int = 0) -> bytes:
    """An SPS NAL (start code included) with the fields the check reads, then stop bits."""
    bits = _ue(0) + _ue(0) + _ue(poc_type)
    if poc_type == 0:
        bits += _ue(0)
    elif poc_type == 1:
        bits += "1" + _ue(0) + _ue(0) + _ue(cycle) + _ue(1) * cycle
    bits += _ue(refs) + "1"
    bits += "0" * (-len(bits) % 8)
    body = int(bits, 2).to_bytes(len(bits) // 8, "big")
    return b"\0\0\0\1\x67" + bytes([profile, 0xC0, 30]) + body


@pytest.mark.parametrize(("nal", "error", "match"), [
    (_sps(), None, ""),
    (_sps(77, MAX_REF_FRAMES, poc_type=1, cycle=3), None, ""),
    (_sps(poc_type=2), None, ""),
    (_sps(100), CodecError, "profile 100"),
    (_sps(refs=16), ResourceLimit, "16 reference pictures"),
    (_sps(refs=5, poc_type=1, cycle=10), ResourceLimit, "reference pictures"),
    (_sps(poc_type=1, cycle=300), CodecError, "malformed picture order"),
    (b"\0\0\1\x67\x42", CodecError, "truncated"),
    (b"\0\0\1\x67\x42\xc0\x1e" + b"\0" * 6, CodecError, "malformed number"),
    (b"\0\0\1\x67\x42\xc0\x1e\x80", CodecError, "truncated"),  # ends inside the fields
    (b"\0\0\1\x74\0\0", CodecError, "type 20"),  # an MVC slice extension
    (b"\0\0\1\xe5\0\0", CodecError, "type 5"),  # the forbidden bit
    (b"\x65\0\0", CodecError, "start code"),
    (b"\0\0\1", None, ""),
])
def test_parameter_sets_are_checked_before_libav(
        nal: bytes, error: type[Exception] | None, match: str) -> None:
    if error is None:
        check_nal_units(nal)
    else:
        with pytest.raises(error, match=match):
            check_nal_units(nal)


def test_a_keyframe_with_too_many_reference_pictures_is_refused() -> None:
    """libx264's own keyframe with its SPS swapped for one keeping 16 references."""
    key = _stream(1)[0]
    data = key[1:]
    pps = data.find(b"\0\0\0\1\x68")
    forged = b"\x01" + _sps(refs=16) + data[pps:]
    fb = np.zeros((96, 128, 4), np.uint8)
    with pytest.raises(ResourceLimit):
        RectDecoder().decode_rect(fb, 0, 0, 128, 96, VIDEO, forged)
