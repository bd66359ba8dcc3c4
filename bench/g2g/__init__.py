"""The glass-to-glass bench in parts (``python -m bench.glass_to_glass`` runs it): what a person
sees on the technician's screen, Fernhilfe against x11vnc + TigerVNC, nothing instrumented inside
the product. ``bench/session_figures.py`` reuses the rig and the workload."""
