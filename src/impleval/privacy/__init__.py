"""Privacy layer: the identifier scanner (`scan`, with identity-number checksums in `nin`), the
de-identification gate for free text (`deid`), small-cell suppression (`suppress`) for every table
and figure, the results audit (`audit`) and the `summarise_deid` step (`steps`).

See docs/privacy.md for what is and is not guaranteed.
"""
