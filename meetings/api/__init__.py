"""The JSON API of meetings (/api/v1/meetings/): booking, the dry run and changes."""
