"""Residents\x27 appeals: filing, routing, the back office and the feedback loop."""
