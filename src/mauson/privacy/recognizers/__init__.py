"""The recognisers, one module per family of personal data; `service.scan()` runs them all."""
