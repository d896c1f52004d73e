"""Survey figures, one module per figure (family); `figures.survey_figures` assembles them."""
