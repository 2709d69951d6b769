"""Deterministic generator of the sample dossiers in `samples/` (run `python -m samplegen`).

`core` holds the `Sample` type, the base dossiers and the variation API; `pki` the test PKI;
`cms` and `pdfsign` the signatures; `documents` and `render` the documents. Each area adds its
failing samples in `variants_<area>.py` (a `SAMPLES` tuple), discovered by `__main__`.
"""
