"""Running a Snakemake `script:` file directly in tests, with a stand-in `snakemake` object."""


class Named(dict):
    """Enough of snakemake's Namedlist for a script: attribute and key access."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None
