"""CLI subcommands; each module exposes ``register(subparsers)`` (see pipeline.cli)."""
