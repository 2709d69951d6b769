"""OpenCV, imported where first used, set to one thread.

One OCR worker runs per core, so OpenCV's own threads would only oversubscribe the cores. Every module
of `intake` takes `cv2` from here (`from intake.opencv import cv2`, inside the function that needs it),
so the setting holds whichever needs it first, and a dossier with no scan never loads OpenCV (~0.3 s).
"""

from __future__ import annotations

import cv2

__all__ = ["cv2"]

cv2.setNumThreads(1)
