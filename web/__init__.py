"""`archive serve`: the archive in a browser, over the same library as the command line
(index/home.py's ArchiveHome). Needs the `web` extra (Starlette, uvicorn, Jinja2)."""
