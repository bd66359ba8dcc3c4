"""Screenshots of each customer and technician state, one module per area (``shoot(out_dir,
lang)`` puts the real widgets into each state and saves ``<area>-<state>-<lang>.png``)."""
