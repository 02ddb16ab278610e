"""Command-line front end: argparse subcommands, each in its own module with register()/run()."""
