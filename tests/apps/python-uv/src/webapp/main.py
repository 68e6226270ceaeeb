"""HTTP routes of the fixture service."""

import os

from fastapi import FastAPI

app = FastAPI(title="webapp")


@app.get("/")
def hello() -> dict[str, str]:
    return {"message": os.environ.get("GREETING", "hello from layerwise python-uv")}


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
