"""When a screen region goes to the video codec, and when it comes back: a pure policy.

Fed, frame by frame, ``now`` and the share of the screen's tiles that changed and that scroll
detection did not explain (a scroll stays COPY rects: cheap and exact). Video starts when most
frames of the last :attr:`MotionPolicy.window` seconds (at least :attr:`min_frames` frames,
however long they took: a slow link's few frames a second) changed at least :attr:`enter_share` of
the screen (a video, a slideshow's cross-fade, a window animation); it stops once the region
has rested (changed less than :attr:`rest_share`) for :attr:`rest` seconds, and the frame
encoder then repaints the region losslessly (refinement), so the resting screen is exact.

Hysteresis, so it never flaps: entering needs a whole window of motion, leaving a whole rest,
and after leaving the window starts empty again; only motion within :attr:`warm` seconds of
leaving (a slideshow's next cross-fade) goes back at its first big frame, each time after a
whole rest. No clock of its own (sans-I/O).
"""

from __future__ import annotations

from collections import deque

__all__ = ["MotionPolicy"]


class MotionPolicy:
    """Decides per frame whether the moving region is sent as video (``update`` -> bool)."""

    def __init__(
        self,
        *,
        enter_share: float = 0.5,
        window: float = 0.3,
        most: float = 0.6,
        min_frames: int = 3,
        rest_share: float = 0.02,
        rest: float = 0.3,
        warm: float = 3.0,
    ) -> None:
        self.enter_share = enter_share
        self.window = window
        self.most = most
        self.min_frames = min_frames
        self.rest_share = rest_share
        self.rest = rest
        #: motion again within this many seconds of leaving: back to video at its first big
        #: frame (the next slide's cross-fade, the film after a pause), not after a window
        self.warm = warm
        self._left = -float("inf")
        self.active = False
        self._history: deque[tuple[float, bool]] = deque()
        self._last_motion = -float("inf")
        self.switches = 0

    def reset(self) -> None:
        """Back to rects and an empty history (a new screen, a full refresh)."""
        self.active = False
        self._history.clear()
        self._last_motion = -float("inf")
        self._left = -float("inf")

    def update(self, now: float, changed_share: float, scrolled: bool = False) -> bool:
        """One frame at ``now``: ``changed_share`` (0..1) of the screen changed, ``scrolled``
        if scroll detection explained part of it. Returns whether video is on from this frame.

        While video is on, ``changed_share`` is the share of the *video region* that changed."""
        if self.active:
            if changed_share >= self.rest_share:
                self._last_motion = now
            elif now - self._last_motion >= self.rest:
                self.active = False
                self._history.clear()
                self._left = now
                self.switches += 1
            return self.active
        if changed_share <= 0.0:
            # A grab that found nothing changed is no frame (nothing is sent). Counted as one,
            # the polls between a film's frames made "most frames moving" false, and a 60 Hz
            # film grabbed twice per frame never went to video (seen as a flaky streamer
            # test). It still says the screen was still: what is older than the window goes
            # (no ``min_frames`` floor: that is for a slow link's few frames, not for a rest).
            while self._history and now - self._history[0][0] > self.window:
                self._history.popleft()
            return False
        moving = changed_share >= self.enter_share and not scrolled
        self._history.append((now, moving))
        # the window, but never fewer than ``min_frames`` frames: on a slow link frames come a
        # few times a second, and that is when the rect path most needs the video codec
        while len(self._history) > self.min_frames and now - self._history[0][0] > self.window:
            self._history.popleft()
        frames = len(self._history)
        span = now - self._history[0][0]
        warm = moving and now - self._left <= self.warm
        if warm or (frames >= self.min_frames and span >= 0.5 * self.window and moving
                    and sum(m for _t, m in self._history) >= self.most * frames):
            self.active = True
            self._last_motion = now
            self.switches += 1
        return self.active
