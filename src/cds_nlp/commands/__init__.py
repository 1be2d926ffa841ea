"""One module per `cds-nlp` subcommand; each exposes `register(subparsers)`."""
