"""`dragoman serve`: the JSON API and the dashboard over a stored corpus."""

from __future__ import annotations

import click

from ..config import load_settings


@click.command()
@click.option("--db", default=None, help="database to serve (default: the `db` setting)")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to bind; the default keeps the server on this machine")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="port to listen on")
def serve(db: str | None, host: str, port: int) -> None:
    """Serve the API and dashboard; read-only unless the `token` setting (DRAGOMAN_TOKEN) is set."""
    import uvicorn

    from .app import create_app

    settings = load_settings(db=db)
    hosts = list(settings.hosts)
    if host not in {"0.0.0.0", "::", ""} and host not in hosts:  # noqa: S104 - compared, not bound
        hosts.append(host)
    app = create_app(settings.db, token=settings.token, hosts=hosts)
    mode = "writes allowed with the token" if settings.token else "read-only"
    click.echo(f"dragoman: serving {settings.db} on http://{host}:{port}/ ({mode}; answering to host names "
               f"{', '.join(hosts)}: add others with the `hosts` setting)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
