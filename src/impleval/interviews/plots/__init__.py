"""Interview figures, one module per figure family; `figures.interview_figures` assembles them."""
