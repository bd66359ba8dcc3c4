"""Screenshots of each state of the windows, for the docs (docs/screens/): one module per area,
each with ``shoot(out_dir, lang) -> list[Path]`` putting the real widgets into each state."""
