"""Privacy layer: de-identification gate for free text (`deid`) and small-cell suppression
(`suppress`) for every table and figure. Identity-number checksums live in `nin`.

See docs/privacy.md for what is and is not guaranteed.
"""
