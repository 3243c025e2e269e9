"""Test-run support that has to act before Django is set up (loaded as pytest plugins)."""
