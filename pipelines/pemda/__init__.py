"""Setting up a new pemda without code: `monev init` and the checks that a file belongs to it."""
