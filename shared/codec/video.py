"""The video codec of full-screen motion: H.264 (libx264 through PyAV) in low-latency mode.

Why a video codec at all: a whole 1080p screen changing (a video, a slideshow's cross-fade, a
window animation) cost the rect path ~28 fps, 76 % of a core and ~10 MB/s: each frame a fresh
set of JPEG tiles. A video codec predicts from the last picture and follows a bitrate, so such
motion fits a DSL uplink (docs/PROTOCOL.md §17, video lane).

Wire format of a ``VIDEO`` rect (``shared.codec.Encoding.VIDEO``): 1 byte flags (bit 0 =
keyframe: the decoder starts a new stream; any other bit set is malformed) + one H.264 Annex-B
access unit of a picture of exactly the rect's ``w x h`` (both even).

Pure in the core's sense: bytes in, bytes out; no files, no threads of ours (libx264 and the
decoder run with one thread, on the caller's), time passed in as ``now``. PyAV is optional for
the *encoder* (:func:`available`): without it the agent simply never switches to video.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from shared.codec import CodecError, Encoding, ResourceLimit, check_frame_size
from shared.codec.motion import MotionPolicy
from shared.messages import Rect

if TYPE_CHECKING:
    from shared.codec.frame import FrameEncoder

__all__ = [
    "DEFAULT_BITRATE",
    "FLAG_KEYFRAME",
    "LINK_SHARE",
    "MAX_BITRATE",
    "MIN_BITRATE",
    "VideoDecoder",
    "VideoEncoder",
    "VideoStage",
    "available",
    "max_video_payload",
]

#: Flags byte: bit 0 = this access unit starts a new stream (an IDR picture with SPS/PPS).
FLAG_KEYFRAME = 0x01
#: Bits per second while the link's rate is unknown (``FrameEncoder.target_rate`` is None).
DEFAULT_BITRATE = 8_000_000
#: Never below this: under it a 1080p picture is mush and the rect path does better.
MIN_BITRATE = 300_000
#: Most bits per second a stream gets however fast the link: at 1080p, 12 Mbit/s already looks
#: like the screen, and more only costs the customer's uplink and the console's decoder (on
#: loopback the measured rate is hundreds of MB/s: uncapped, video took 6-10 MB/s).
MAX_BITRATE = 12_000_000
#: Share of the measured link rate the video may take (the rest: rects beside it, cursor, acks).
LINK_SHARE = 0.85
#: The VBV buffer in seconds of the bitrate: no frame may be larger than this much of the link,
#: so a keyframe cannot build a queue the rate control would take seconds to drain.
VBV_SECONDS = 0.25
#: Frame rate libx264 is told: it spends ``bitrate / NOMINAL_FPS`` bits a picture, whatever the
#: timestamps say, and libav can lower but not raise that bitrate after opening (the VBV cap is
#: fixed). Low, so ``VideoEncoder._pace`` only ever *lowers* it to the measured frame rate:
#: 10 to 60 pictures a second all get the link's bitrate (measured: 89 % of it at 15 fps,
#: 103 % at 30, 110 % at 60 after the first keyframe).
NOMINAL_FPS = 10


#: NAL unit types a VIDEO payload may carry: slices (1, 5), SEI (6), SPS (7), PPS (8), access
#: unit delimiter (9), filler (12). Data partitioning and the SVC/MVC extensions never reach libav.
ALLOWED_NALS = frozenset({1, 5, 6, 7, 8, 9, 12})
#: Baseline (66) and Main (77): no chroma or bit depth fields, so the SPS check below is short.
ALLOWED_PROFILES = frozenset({66, 77})
#: Most reference pictures a stream may keep (libx264 ``ultrafast`` uses 1): each is a picture
#: of the rect's size the decoder holds, so this bounds its memory to a few pictures.
MAX_REF_FRAMES = 4


class _Bits:
    """An MSB-first bit reader over an RBSP (emulation prevention already removed)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def bit(self) -> int:
        if self.pos >= 8 * len(self.data):
            raise CodecError("VIDEO parameter set is truncated")
        b = (self.data[self.pos >> 3] >> (7 - (self.pos & 7))) & 1
        self.pos += 1
        return b

    def ue(self) -> int:
        zeros = 0
        while self.bit() == 0:
            zeros += 1
            if zeros > 31:
                raise CodecError("VIDEO parameter set has a malformed number")
        value = 0
        for _ in range(zeros):
            value = value << 1 | self.bit()
        return (1 << zeros) - 1 + value


def _check_sps(nal: bytes) -> None:
    """Profile and reference pictures of one SPS NAL, before libavcodec sees it."""
    rbsp = nal[1:64].replace(b"\x00\x00\x03", b"\x00\x00")  # the fields below are early
    if len(rbsp) < 4:
        raise CodecError("VIDEO parameter set is truncated")
    if rbsp[0] not in ALLOWED_PROFILES:
        raise CodecError(f"VIDEO stream of H.264 profile {rbsp[0]} (only Baseline and Main)")
    bits = _Bits(rbsp[3:])
    bits.ue()  # seq_parameter_set_id
    bits.ue()  # log2_max_frame_num_minus4
    poc_type = bits.ue()
    if poc_type == 0:
        bits.ue()  # log2_max_pic_order_cnt_lsb_minus4
    elif poc_type == 1:
        bits.bit()
        bits.ue()  # offset_for_non_ref_pic (se: the same bits)
        bits.ue()  # offset_for_top_to_bottom_field
        cycle = bits.ue()
        if cycle > 255:
            raise CodecError("VIDEO parameter set has a malformed picture order cycle")
        for _ in range(cycle):
            bits.ue()
    refs = bits.ue()
    if refs > MAX_REF_FRAMES:
        raise ResourceLimit(f"VIDEO stream keeps {refs} reference pictures (at most "
                            f"{MAX_REF_FRAMES})")


def check_nal_units(data: bytes) -> None:
    """Every NAL unit of an Annex-B access unit is of an allowed type, every SPS within the
    profile and reference budget; CodecError/ResourceLimit otherwise."""
    if not data.startswith((b"\x00\x00\x01", b"\x00\x00\x00\x01")):
        raise CodecError("VIDEO access unit does not start with a start code")
    pos = data.find(b"\x00\x00\x01")
    while pos >= 0:
        start = pos + 3
        nxt = data.find(b"\x00\x00\x01", start)
        if start >= len(data):
            break
        kind = data[start] & 0x1F
        if data[start] & 0x80 or kind not in ALLOWED_NALS:
            raise CodecError(f"VIDEO access unit holds a NAL unit of type {kind}")
        if kind == 7:
            _check_sps(data[start : nxt if nxt >= 0 else len(data)])
        pos = nxt


@functools.cache
def available() -> bool:
    """True when PyAV with libx264 can be loaded (the one-file agent may be built without it)."""
    try:
        import av
    except ImportError:
        return False
    return "libx264" in av.codecs_available


def max_video_payload(w: int, h: int) -> int:
    """Largest honest payload of a ``w x h`` VIDEO rect: an all-PCM picture (4:2:0, 12 bits a
    pixel) with generous room for headers. Checked before the decoder sees a byte."""
    return 2 * w * h + 65536


def rate_to_bitrate(target_rate: float | None) -> int:
    """Bits per second for the encoder from the link's bytes per second (None: the default)."""
    if target_rate is None:
        return DEFAULT_BITRATE
    return max(MIN_BITRATE, min(MAX_BITRATE, int(target_rate * 8 * LINK_SHARE)))


class VideoEncoder:
    """One H.264 stream of a fixed ``width x height`` picture (both even).

    ``encode(bgra, now)`` returns the VIDEO payload (flags + access unit). The first picture is
    a keyframe, later ones only when :meth:`force_keyframe` asked for one. The bitrate follows
    :attr:`bitrate` (libx264 reconfigures itself when it changes between pictures).
    """

    def __init__(self, width: int, height: int, now: float, bitrate: int = DEFAULT_BITRATE) -> None:
        import av
        from av.video.reformatter import VideoReformatter

        check_frame_size(width, height)
        if width % 2 or height % 2:
            raise ValueError("H.264 4:2:0 pictures need an even width and height")
        self.width, self.height = width, height
        self._av = av
        ctx: Any = av.CodecContext.create("libx264", "w")
        ctx.width, ctx.height = width, height
        ctx.pix_fmt = "yuv420p"
        ctx.time_base = Fraction(1, 1000)
        ctx.framerate = Fraction(NOMINAL_FPS, 1)  # the rate control's guess; pts carry the truth
        ctx.bit_rate = bitrate
        ctx.gop_size = 1 << 30  # no periodic keyframes: the transport is reliable and ordered
        ctx.max_b_frames = 0
        ctx.thread_count = 1
        ctx.options = {
            "preset": "ultrafast",
            "tune": "zerolatency",  # no lookahead, no frame delay: one picture in, one out
            "maxrate": str(bitrate),
            "bufsize": str(max(1000, int(bitrate * VBV_SECONDS))),
            "forced-idr": "1",
            "x264-params": "scenecut=0:rc-lookahead=0:sync-lookahead=0",
        }
        ctx.open()
        self._ctx = ctx
        self._reformat = VideoReformatter()
        self._t0 = now
        self._pts = -1
        self._keyframe = True
        self.bitrate = bitrate
        self._fps = 30.0  # a first guess of the pictures a second, measured from then on
        self._last: float | None = None
        self._applied = bitrate
        #: the VBV's rate, fixed when the stream opened (libav cannot change it later)
        self.vbv_rate = bitrate
        self.frames = 0

    def force_keyframe(self) -> None:
        """The next picture starts a new stream (the console must be able to join there)."""
        self._keyframe = True

    def set_bitrate(self, bitrate: int) -> None:
        """Follow the link: applied from the next picture on (changes under 10 % are ignored).

        The average follows at once; the VBV cap (per-frame peak) was fixed at open, so the
        rate is held at or under it: :attr:`needs_restart` says when a new stream would fit the
        link better (its owner restarts it at a keyframe)."""
        self.bitrate = min(bitrate, self.vbv_rate)

    def _pace(self, now: float) -> None:
        """libx264 (through libav) budgets bits per *picture* at the nominal frame rate and
        ignores timestamps: scale its bitrate by nominal/measured frame rate so the bytes per
        second follow :attr:`bitrate` whether frames come 10 or 60 times a second."""
        if self._last is not None:
            dt = now - self._last
            fps = min(120.0, max(5.0, 1.0 / dt)) if dt > 0 else 120.0
            self._fps += 0.2 * (fps - self._fps)
        self._last = now
        want = int(min(self.vbv_rate, self.bitrate * NOMINAL_FPS / self._fps))
        if abs(want - self._applied) > 0.1 * self._applied:
            self._applied = want
            self._ctx.bit_rate = want

    def needs_restart(self, bitrate: int) -> bool:
        """True when ``bitrate`` is so far from the stream's VBV rate that a new stream (one
        keyframe) pays: more than twice it (room left unused) or under a quarter (queues)."""
        return bitrate > 2 * self.vbv_rate or 4 * bitrate < self.vbv_rate

    def encode(self, bgra: np.ndarray, now: float) -> bytes:
        """The VIDEO payload of one ``(height, width, 4)`` BGRA picture shown at ``now``."""
        av = self._av
        if bgra.shape != (self.height, self.width, 4):
            raise ValueError(f"picture is {bgra.shape}, the stream {self.width}x{self.height}")
        if not bgra.flags.c_contiguous:
            bgra = np.ascontiguousarray(bgra)
        src = av.VideoFrame.from_numpy_buffer(bgra, format="bgra")
        yuv = self._reformat.reformat(src, format="yuv420p", threads=1)
        # strictly increasing milliseconds: libx264's rate control spends bits per real second
        self._pts = max(self._pts + 1, int((now - self._t0) * 1000))
        yuv.pts = self._pts
        self._pace(now)
        key = self._keyframe
        if key:
            yuv.pict_type = av.video.frame.PictureType.I
        packets = self._ctx.encode(yuv)
        data = b"".join(bytes(p) for p in packets)
        if not data:  # zerolatency: never happens; a silent gap would desync the console
            raise RuntimeError("libx264 returned no access unit for a picture")
        self._keyframe = False
        self.frames += 1
        return bytes([FLAG_KEYFRAME if key else 0]) + data


class VideoDecoder:
    """The console's side of one VIDEO stream, fed untrusted payloads.

    Budgets before allocation: the picture's size is the rect's (checked against the frame
    budgets by the caller's FrameBudget), the payload is bounded by :func:`max_video_payload`,
    libavcodec is told ``max_pixels`` so a hostile SPS cannot make it allocate more than the
    rect, and the decoded picture must be exactly ``w x h``. Every libav failure is a
    :class:`CodecError`. One thread (no frame threading: it would delay pictures).
    """

    def __init__(self) -> None:
        self._ctx: Any = None
        self._size: tuple[int, int] | None = None
        self._reformat: Any = None

    def reset(self) -> None:
        """Forget the running stream (a new screen, or after an error)."""
        self._ctx = None
        self._size = None

    def _open(self, w: int, h: int) -> None:
        import av
        from av.video.reformatter import VideoReformatter

        ctx: Any = av.CodecContext.create("h264", "r")
        ctx.thread_count = 1
        ctx.thread_type = "NONE"
        # the decoder checks the coded size (whole 16x16 macroblocks) against max_pixels
        coded = (w + 15) // 16 * 16 * ((h + 15) // 16 * 16)
        ctx.options = {"max_pixels": str(coded), "flags": "low_delay"}
        ctx.open()
        self._ctx = ctx
        self._size = (w, h)
        self._reformat = VideoReformatter()

    def decode(self, dst: np.ndarray, w: int, h: int, payload: memoryview) -> None:
        """Decode one VIDEO payload into ``dst`` (a ``(h, w, 4)`` BGRA view); alpha becomes 255."""
        if w % 2 or h % 2:
            raise CodecError(f"a VIDEO rectangle of {w}x{h} pixels must have an even size")
        if len(payload) > max_video_payload(w, h):
            raise ResourceLimit(f"a VIDEO payload of {len(payload)} bytes is larger than any "
                                f"picture of {w}x{h} pixels needs")
        if len(payload) < 2:
            raise CodecError("VIDEO payload is truncated")
        flags = payload[0]
        if flags & ~FLAG_KEYFRAME:
            raise CodecError(f"VIDEO flags {flags:#04x} has unknown bits set")
        try:
            import av
        except ImportError:
            raise CodecError("this program cannot decode video (PyAV is missing)") from None
        if flags & FLAG_KEYFRAME:
            self._open(w, h)
        elif self._ctx is None:
            raise CodecError("a VIDEO picture continues a stream that never started")
        elif self._size != (w, h):
            self.reset()
            raise CodecError(f"a {w}x{h} VIDEO picture continues a stream of a different size")
        data = bytes(payload[1:])
        try:
            check_nal_units(data)
        except CodecError:
            self.reset()
            raise
        try:
            frames = self._ctx.decode(av.Packet(data))
        except (av.FFmpegError, ValueError, MemoryError) as exc:
            self.reset()
            raise CodecError(f"corrupt VIDEO data: {exc}") from None
        if len(frames) != 1:
            self.reset()
            raise CodecError(f"a VIDEO payload held {len(frames)} pictures instead of one")
        pic = frames[0]
        if (pic.width, pic.height) != (w, h):
            self.reset()
            raise CodecError(f"a VIDEO picture of {pic.width}x{pic.height} pixels arrived for a "
                             f"{w}x{h} rectangle")
        try:
            bgra = self._reformat.reformat(pic, format="bgra", threads=1).to_ndarray()
        except (av.FFmpegError, ValueError) as exc:
            self.reset()
            raise CodecError(f"VIDEO picture could not be converted: {exc}") from None
        if bgra.shape != (h, w, 4):
            self.reset()
            raise CodecError("VIDEO picture decoded to an unexpected shape")
        dst[:] = bgra
        dst[:, :, 3] = 255


class VideoStage:
    """The frame encoder's video block: the motion policy, the region and its stream.

    :class:`~shared.codec.frame.FrameEncoder` calls :meth:`step` once per frame after change
    and scroll detection. While the policy says video, the moving region (tile-aligned, the
    bounding box of the tiles that moved while the policy made up its mind) goes out as one
    VIDEO rect per changed frame; its tiles leave the rect path and are marked lossy, so the
    encoder's refinement repaints them exactly once they rest. Without PyAV it does nothing.
    """

    def __init__(self, tile: int, policy: MotionPolicy | None = None,
                 enabled: bool | None = None) -> None:
        self.tile = tile
        self.policy = policy or MotionPolicy()
        #: None until the first frame: loading PyAV (~0.1 s) happens on the encoder's thread
        #: then, not where the frame encoder is made (the agent's network loop)
        self.enabled = enabled
        self.encoder: VideoEncoder | None = None
        #: ``(x, y, w, h)`` of the video picture while video is on
        self.region: tuple[int, int, int, int] | None = None
        self._box: tuple[int, int, int, int] | None = None  # tile box (r0, c0, r1, c1)
        self._box_t = -float("inf")
        self._shape: tuple[int, int] | None = None
        self.stats = {"video_frames": 0, "video_bytes": 0, "keyframes": 0}

    def reset(self) -> None:
        """Back to rects (the console's state is forgotten: the next stream starts anew)."""
        self.policy.reset()
        self.encoder = None
        self.region = None
        self._box = None

    def _grow_box(self, dirty: np.ndarray, now: float) -> None:
        rows, cols = np.nonzero(dirty.any(axis=1))[0], np.nonzero(dirty.any(axis=0))[0]
        box = (int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1)
        if self._box is not None and now - self._box_t <= self.policy.window:
            b = self._box
            box = (min(b[0], box[0]), min(b[1], box[1]), max(b[2], box[2]), max(b[3], box[3]))
        self._box, self._box_t = box, now

    def _start(self, h: int, w: int, now: float, bitrate: int) -> bool:
        """Open a stream for the box the motion filled; False if it has no even-sized area."""
        assert self._box is not None
        t = self.tile
        r0, c0, r1, c1 = self._box
        x, y = c0 * t, r0 * t
        rw, rh = min(w, c1 * t) - x, min(h, r1 * t) - y
        rw, rh = rw - rw % 2, rh - rh % 2
        if rw < 2 or rh < 2:
            return False
        self.region = (x, y, rw, rh)
        self.encoder = VideoEncoder(rw, rh, now, bitrate)
        self.stats["keyframes"] += 1
        return True

    def step(self, enc: FrameEncoder, frame: np.ndarray, now: float, dirty: np.ndarray,
             scrolled: bool, rects: list[Rect], budget: int) -> tuple[np.ndarray, int]:
        """Send the region's picture if video is on; returns the tiles left for the rect path
        and the byte budget left."""
        if self.enabled is None:
            self.enabled = available()
        if not self.enabled or enc.quality is None:  # lossless only: the technician's choice
            if self.policy.active:
                self.reset()
            return dirty, budget
        h, w = frame.shape[:2]
        if self._shape != (h, w):
            self.reset()
            self._shape = (h, w)
        t = self.tile
        was = self.policy.active
        if was:
            assert self.region is not None
            x, y, rw, rh = self.region
            inside = dirty[y // t : (y + rh + t - 1) // t, x // t : (x + rw + t - 1) // t]
            share = float(inside.mean())
        else:
            share = float(dirty.mean()) if dirty.size else 0.0
            if share >= self.policy.enter_share and not scrolled:
                self._grow_box(dirty, now)
        on = self.policy.update(now, share, scrolled)
        if not on:
            if was:
                self.encoder = None
                self.region = None
                self._box = None
            return dirty, budget
        bitrate = rate_to_bitrate(enc.target_rate)
        restart = self.encoder is None or self.encoder.needs_restart(bitrate)
        if restart and not self._start(h, w, now, bitrate):
            self.reset()
            return dirty, budget
        assert self.encoder is not None and self.region is not None
        self.encoder.set_bitrate(bitrate)
        x, y, rw, rh = self.region
        tiles = np.zeros_like(dirty)
        tiles[y // t : (y + rh + t - 1) // t, x // t : (x + rw + t - 1) // t] = True
        if not (dirty & tiles).any():
            return dirty, budget  # nothing moved in the region: the console's picture stands
        payload = self.encoder.encode(frame[y : y + rh, x : x + rw], now)
        rects.append(Rect(x, y, rw, rh, Encoding.VIDEO.value, payload))
        budget -= len(payload)
        enc._write_ref(frame, x, y, rw, rh)
        # an odd screen edge inside the region's last tiles: that pixel row/column goes exact
        ex, ey = min(w, -(-(x + rw) // t) * t), min(h, -(-(y + rh) // t) * t)
        for sx, sy, sw, sh in ((x + rw, y, ex - x - rw, ey - y), (x, y + rh, rw, ey - y - rh)):
            if sw > 0 and sh > 0:
                r = enc._rect_encoder.encode_rect(frame, sx, sy, sw, sh, quality=None)
                rects.append(r)
                budget -= len(r.payload)
                enc._write_ref(frame, sx, sy, sw, sh)
        enc.tracker.note_sent(x, y, rw, rh, lossy=True)
        enc.tracker.note_changed(tiles, now)  # refined once the picture rests, not before
        self.stats["video_frames"] += 1
        self.stats["video_bytes"] += len(payload)
        return dirty & ~tiles, budget
