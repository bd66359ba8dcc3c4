"""The remote view's numbers without a widget: scale, placement and pixel mapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.ui.view_geometry import ACTUAL, FIT, MIN_SCALE, Placement, fit_scale


@pytest.mark.parametrize(("view", "image", "mode", "scale"), [
    ((800, 600), (1600, 900), FIT, 0.5),       # width decides, letterbox above and below
    ((800, 600), (400, 600), FIT, 1.0),        # height decides
    ((800, 600), (200, 100), FIT, 4.0),        # fit also enlarges a small screen
    ((800, 600), (1600, 900), ACTUAL, 1.0),    # 1:1 whatever the size
    ((800, 600), (0, 0), FIT, 1.0),            # no image yet
    ((0, 0), (1600, 900), FIT, MIN_SCALE),     # a view squeezed to nothing: never 0
])
def test_fit_scale(view: tuple[int, int], image: tuple[int, int], mode: str,
                   scale: float) -> None:
    assert fit_scale(view[0], view[1], image[0], image[1], mode) == pytest.approx(scale)


def test_fit_centres_the_image_and_ignores_scrolling() -> None:
    place = Placement.of(800, 600, 1600, 900, FIT, scroll_x=50, scroll_y=70)
    assert (place.origin_x, place.origin_y) == (0.0, 75.0)
    assert place.image_in_view() == (0.0, 75.0, 800.0, 450.0)


def test_actual_centres_a_small_image_and_scrolls_a_large_one() -> None:
    small = Placement.of(800, 600, 400, 200, ACTUAL, scroll_x=0, scroll_y=0)
    assert (small.origin_x, small.origin_y) == (200.0, 200.0)
    large = Placement.of(800, 600, 1600, 900, ACTUAL, scroll_x=100, scroll_y=30)
    assert (large.origin_x, large.origin_y) == (-100.0, -30.0)
    assert large.to_remote(0, 0) == (100, 30)


def test_to_remote_is_none_in_the_letterbox_and_past_the_edges() -> None:
    place = Placement.of(800, 600, 1600, 900, FIT)
    assert place.to_remote(10, 10) is None          # above the image
    assert place.to_remote(0, 75) == (0, 0)
    assert place.to_remote(799.9, 524.9) == (1599, 899)
    assert place.to_remote(800, 300) is None        # right of the last pixel
    assert place.to_remote(400, 525) is None        # below the last row


def test_to_remote_clamped_keeps_a_drag_on_the_image() -> None:
    place = Placement.of(800, 600, 1600, 900, FIT)
    assert place.to_remote_clamped(-40, 10) == (0, 0)
    assert place.to_remote_clamped(5000, 5000) == (1599, 899)
    assert place.to_remote_clamped(400, 300) == (800, 450)


def test_nothing_maps_without_an_image() -> None:
    place = Placement.of(800, 600, 0, 0, FIT)
    assert not place.has_image
    assert place.to_remote(400, 300) is None
    assert place.to_remote_clamped(400, 300) == (0, 0)


def test_view_and_source_rectangles_are_inverse() -> None:
    place = Placement.of(800, 600, 1600, 900, FIT)
    view = place.to_view((100, 50, 40, 20))
    assert view == (50.0, 100.0, 20.0, 10.0)
    assert place.source_of(view) == pytest.approx((100, 50, 40, 20))
    assert place.from_remote(100, 50) == (50.0, 100.0)


@given(st.integers(1, 4000), st.integers(1, 3000), st.integers(1, 4000), st.integers(1, 3000),
       st.sampled_from([FIT, ACTUAL]))
def test_the_picture_sits_on_whole_pixels(view_w: int, view_h: int, image_w: int, image_h: int,
                                          mode: str) -> None:
    """Issue 16: centred by half an odd remainder, a 1:1 picture fell between two rows."""
    place = Placement.of(view_w, view_h, image_w, image_h, mode)
    assert place.origin_x == int(place.origin_x) and place.origin_y == int(place.origin_y)
    assert 0 <= place.origin_x <= max(0, view_w - image_w * place.scale)
    assert 0 <= place.origin_y <= max(0, view_h - image_h * place.scale)
