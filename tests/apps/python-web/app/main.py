"""HTTP routes of the fixture service."""

import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def hello():
    return jsonify(message=os.environ.get("GREETING", "hello from layerwise python-web"))


@app.get("/health")
def health():
    return jsonify(status="ok")
