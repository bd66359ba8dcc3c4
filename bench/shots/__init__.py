"""Screenshots of each customer and technician state, in German and English (issue 11).

Every module of this package that has ``shoot(out_dir: Path, lang: str) -> list[Path]`` puts the
real widgets of its area into each state through their public slots (no network needed) and saves
``<area>-<state>-<lang>.png`` into ``out_dir``. ``python -m bench.shots`` (see ``__main__``)
imports them all, runs each under the current display (or an Xvfb of its own) with the language's
translators installed, and writes ``README.md`` listing the images beside them.
"""
