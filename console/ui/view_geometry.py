"""Where the remote screen sits in the view, and how view and remote pixels map: numbers only.

No Qt here, so the scaling rules (fit keeps the aspect and centres, actual is 1:1 and scrolls)
and the mapping of a pointer to a remote pixel are tested without a display. The view builds one
:class:`Placement` per event or paint and asks it.
"""

from __future__ import annotations

from dataclasses import dataclass

FIT = "fit"
ACTUAL = "actual"
SCALE_MODES = (FIT, ACTUAL)
#: A view can be squeezed to nothing; the scale never reaches 0 (it is divided by).
MIN_SCALE = 1e-6

Rect = tuple[float, float, float, float]  # x, y, width, height


def fit_scale(view_w: int, view_h: int, image_w: int, image_h: int, mode: str) -> float:
    """View pixels per remote pixel: 1 for ``actual`` or no image, else the largest that fits."""
    if image_w <= 0 or image_h <= 0 or mode == ACTUAL:
        return 1.0
    return max(MIN_SCALE, min(view_w / image_w, view_h / image_h))


@dataclass(frozen=True, slots=True)
class Placement:
    """The remote image's place in the view: scale, top-left corner, size in remote pixels.

    ``image_w``/``image_h`` are 0 while there is no image; then nothing maps to a remote pixel.
    """

    scale: float
    origin_x: float
    origin_y: float
    image_w: int
    image_h: int

    @classmethod
    def of(cls, view_w: int, view_h: int, image_w: int, image_h: int, mode: str,
           scroll_x: int = 0, scroll_y: int = 0) -> Placement:
        """Place an image in a view: centred where it is smaller, scrolled in ``actual`` mode.

        The corner sits on whole view pixels: centred by half an odd remainder (y = 25.5), a
        1:1 picture was sampled between two rows, and a damaged part repainted alone picked
        other rows than the whole paint, so the technician's picture was a row off in places
        and never exact (issue 16's convergence figure)."""
        s = fit_scale(view_w, view_h, image_w, image_h, mode)
        w, h = image_w * s, image_h * s
        x = float((view_w - w) // 2) if w < view_w else 0.0
        y = float((view_h - h) // 2) if h < view_h else 0.0
        if mode == ACTUAL:
            x -= scroll_x
            y -= scroll_y
        return cls(s, x, y, image_w, image_h)

    @property
    def has_image(self) -> bool:
        return self.image_w > 0 and self.image_h > 0

    def to_remote(self, x: float, y: float) -> tuple[int, int] | None:
        """View position -> remote pixel, or ``None`` outside the image (in the letterbox)."""
        if not self.has_image or x < self.origin_x or y < self.origin_y:
            return None
        rx = int((x - self.origin_x) / self.scale)
        ry = int((y - self.origin_y) / self.scale)
        if rx >= self.image_w or ry >= self.image_h:
            return None
        return rx, ry

    def to_remote_clamped(self, x: float, y: float) -> tuple[int, int]:
        """View position -> the nearest remote pixel (a drag that leaves the image stays on it)."""
        if not self.has_image:
            return (0, 0)
        rx = int((x - self.origin_x) / self.scale)
        ry = int((y - self.origin_y) / self.scale)
        return min(max(rx, 0), self.image_w - 1), min(max(ry, 0), self.image_h - 1)

    def from_remote(self, x: float, y: float) -> tuple[float, float]:
        """Remote pixel -> view position of that pixel's top-left corner."""
        return self.origin_x + x * self.scale, self.origin_y + y * self.scale

    def to_view(self, rect: Rect) -> Rect:
        """A rectangle in remote pixels -> the same area in view pixels."""
        x, y, w, h = rect
        s = self.scale
        return self.origin_x + x * s, self.origin_y + y * s, w * s, h * s

    def image_in_view(self) -> Rect:
        """The whole image's area in view pixels."""
        return self.to_view((0, 0, self.image_w, self.image_h))

    def source_of(self, view_rect: Rect) -> Rect:
        """The part of the image (remote pixels, fractional) drawn into ``view_rect``."""
        x, y, w, h = view_rect
        s = self.scale
        return (x - self.origin_x) / s, (y - self.origin_y) / s, w / s, h / s
