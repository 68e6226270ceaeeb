"""Routes: GET / greets (?name=...), GET /health."""

from flask import Flask, jsonify, request

from shop.greeting import greeting

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(message=greeting(request.args.get("name")))


@app.get("/health")
def health():
    return jsonify(status="ok")
