"""Vietnamese language kit: normalisation, segmentation, dates and numbers, diacritic
restoration and the administrative-unit gazetteer. Pure functions, no I/O at import."""
