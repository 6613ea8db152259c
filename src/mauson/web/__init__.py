"""What every module's pages and API share: layout, templates, request dependencies, errors."""
