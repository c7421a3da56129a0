"""The read-only JSON API of the conference network: sites and bridges (/api/v1/)."""
