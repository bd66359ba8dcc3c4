"""Screenshots of each window state in German and English, for docs/screens/ (issue 11).

Each module ``bench/shots/<area>.py`` has ``shoot(out_dir, lang) -> list[Path]``: it puts the
real widgets of its area into each state through their public slots (no network) and saves
``<area>-<state>-<lang>.png``.
"""
