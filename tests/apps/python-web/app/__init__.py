"""layerwise fixture: a small Flask service installed from a pinned requirements.txt."""
