"""Regional briefs: ``page`` is the ``Brief`` a brief notebook calls, section by section; ``runner`` runs that notebook
with Papermill for every region and exports each run with nbconvert; ``kernel`` settles the processes that do it."""

from .page import Brief
from .runner import NOTEBOOK, run

__all__ = ["NOTEBOOK", "Brief", "run"]
