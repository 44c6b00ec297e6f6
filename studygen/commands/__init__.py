"""One module per CLI command, each with `run(args) -> exit code`; the CLI imports only the one it runs."""
