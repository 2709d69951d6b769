"""The gate at scale, around the pipeline and never inside it (issue 13).

    jobs.py     the job code: one dossier, one set of options, one report file (pool, queue and API share it)
    store.py    the database of screenings and the content-addressed file store
    queue.py    Dramatiq actors on Redis: submit, consume, retry, dead-letter
    api.py      the HTTP API (FastAPI)

Nothing here prints; `intake.cli` does.
"""
