"""One module per report section: `build(ctx) -> str` (markdown; '' when the section has
nothing to say for this study, e.g. a strand it did not collect)."""
