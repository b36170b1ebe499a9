"""The service layer: command line, settings, and (later) the HTTP app; no domain logic of its own."""
