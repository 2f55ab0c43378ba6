"""Web adapter: FastAPI app with server-rendered pages and the JSON API under /api/v1."""
