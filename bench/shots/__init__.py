"""Screenshots of each window state for docs/screens/: one module per area, each with
``shoot(out_dir, lang) -> list[Path]`` that puts the real widgets into each state and saves PNGs
named ``<area>-<state>-<lang>.png``."""
