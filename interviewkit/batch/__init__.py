"""Many CVs at once: one role, one prompt, a kit per candidate (issue 12, part 5).

:mod:`.items` turns uploads (files or one ZIP, opened defensively) into CVs,
:mod:`.runner` runs them through the Generate pipeline on a bounded pool of
threads (:mod:`.model`: statuses, the request, the rows), :mod:`.history` is how
a batch saves and recognises finished kits, :mod:`.registry` bounds how many run
at once, and :mod:`.results` packs the outcome into one ZIP with ``summary.csv``.
"""

from interviewkit.batch.history import HistoryLink, ScopeLink
from interviewkit.batch.items import Upload, expand, from_paths, unzip
from interviewkit.batch.model import ItemStatus, Request, Row
from interviewkit.batch.registry import BATCHES
from interviewkit.batch.results import results_zip, summary_csv
from interviewkit.batch.runner import Batch

__all__ = ["BATCHES", "Batch", "HistoryLink", "ItemStatus", "Request", "Row", "ScopeLink",
           "Upload", "expand", "from_paths", "results_zip", "summary_csv", "unzip"]
