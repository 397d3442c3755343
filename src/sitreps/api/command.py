"""``sitreps serve``: run the API and dashboard with uvicorn (registered in ``cli.py``)."""

from __future__ import annotations

import os

import click

from sitreps.commands import config_option
from sitreps.store.duckdb import DEFAULT_DB


def serve(
    db_path: str, host: str, port: int, allow_ingest: bool, allow_private_urls: bool,
    config_path: str | None = None,
) -> None:
    """Serve the dashboard at http://HOST:PORT/ and the API under /api (docs at /docs).

    Read-only unless --allow-ingest; ingest then needs `Authorization: Bearer $SITREPS_TOKEN`.
    While the server holds the file, other processes cannot write it (DuckDB allows one
    writer): stop the server before `sitreps ingest`, or use --allow-ingest and POST /api/ingest.
    With --config, ingest runs with that config, and the answers leave out and merge the event
    types of its knowledge files too.
    """
    import uvicorn

    from sitreps.api.app import IngestTokenMissing, create_app
    from sitreps.api.database import DatabaseUnavailable
    from sitreps.commands import fatal_errors
    from sitreps.config import load_config

    try:
        with fatal_errors(db_path):
            app = create_app(
                db_path, allow_ingest=allow_ingest, token=os.environ.get("SITREPS_TOKEN"),
                allow_private_urls=allow_private_urls,
                config=load_config(config_path) if config_path is not None else None,
            )
    except (IngestTokenMissing, DatabaseUnavailable) as error:
        raise click.ClickException(str(error)) from error
    # One process: a DuckDB file can be held by one writer, and cursors already give
    # concurrency across uvicorn's thread pool.
    uvicorn.run(app, host=host, port=port, workers=1, log_level="info",
                server_header=False, proxy_headers=False)


serve_command = click.command("serve")(
    click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                 type=click.Path(dir_okay=False), help="DuckDB database file.")(
        click.option("--host", default="127.0.0.1", show_default=True,
                     help="Interface to listen on; keep 127.0.0.1 unless behind a proxy.")(
            click.option("--port", default=8000, show_default=True,
                         type=click.IntRange(1, 65535))(
                click.option("--allow-ingest", is_flag=True,
                             help="Open the database for writing and enable POST /api/ingest "
                                  "(token from $SITREPS_TOKEN).")(
                    click.option("--allow-private-urls", is_flag=True,
                                 help="Let ingested URLs and feed links reach loopback, "
                                      "private, link-local and multicast addresses "
                                      "(refused by default).")(
                        config_option(serve)
                    )
                )
            )
        )
    )
)
