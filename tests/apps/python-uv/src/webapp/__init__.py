"""layerwise fixture: a small FastAPI service locked with uv."""
