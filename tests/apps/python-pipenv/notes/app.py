"""Routes: GET / greets (?name=...), GET /health."""

import falcon

from notes.greeting import greeting


class Index:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"message": greeting(req.get_param("name"))}


class Health:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"status": "ok"}


app = falcon.App()
app.add_route("/", Index())
app.add_route("/health", Health())
