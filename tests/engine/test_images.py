"""Lining up `docker history` rows with RootFS diff ids, against a fake client (no engine)."""

from __future__ import annotations

import io
import json
import shlex
import tarfile
from pathlib import Path

import pytest

from layerwise.engine import Client, Layer, image_layers, new_layers
from layerwise.errors import EngineError

# Newest first, as `docker history --human=false --format '{{.Size}}\t{{.CreatedBy}}'` prints.
HISTORY = [
    (0, 'CMD ["node", "main.js"]'),
    (4321, "COPY src/ ./src/ # buildkit"),
    (0, "RUN /bin/sh -c ln -s /srv/bin/app /usr/local/bin/app # buildkit"),  # a 0-byte layer
    (0, "ENV APP=demo"),
    (0, "WORKDIR /srv"),  # a 0-byte layer
    (0, '/bin/sh -c #(nop)  CMD ["bash"]'),  # the legacy builder's metadata entry
    (1000, "/bin/sh -c #(nop) ADD file:abc in / "),
]
DIFF_IDS = ["sha256:base", "sha256:workdir", "sha256:ln", "sha256:src"]


def fake_client(
    tmp_path: Path, history: list[tuple[int, str]], config: dict[str, object]
) -> Client:
    (tmp_path / "history.txt").write_text("".join(f"{s}\t{c}\n" for s, c in history))
    (tmp_path / "layers.json").write_text(json.dumps(DIFF_IDS))
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        for name, data in [
            ("abc/layer.tar", b"\0" * 1024),
            ("cfg.json", json.dumps(config).encode()),
            ("manifest.json", json.dumps([{"Config": "cfg.json", "Layers": []}]).encode()),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (tmp_path / "save.tar").write_bytes(archive.getvalue())
    script = tmp_path / "docker"
    d = shlex.quote(str(tmp_path))
    script.write_text(
        f"""#!/bin/sh
echo "$@" >> {d}/calls.log
case "$1" in
  image) cat {d}/layers.json ;;
  history) cat {d}/history.txt ;;
  save) cat {d}/save.tar ;;
esac
"""
    )
    script.chmod(0o755)
    return Client(str(script), "legacy", None, "20.10.24", "20.10.24", supports_cache_to=False)


def test_zero_byte_layers_are_told_from_metadata_entries(tmp_path: Path) -> None:
    client = fake_client(tmp_path, HISTORY, config={})
    layers = image_layers(client, "app")
    assert [(layer.diff_id, layer.size) for layer in layers] == [
        ("sha256:base", 1000),
        ("sha256:workdir", 0),
        ("sha256:ln", 0),
        ("sha256:src", 4321),
    ]
    assert layers[2].created_by.startswith("RUN /bin/sh -c ln -s")
    assert "save" not in (tmp_path / "calls.log").read_text()


def test_image_config_decides_when_the_history_does_not_line_up(tmp_path: Path) -> None:
    # BuildKit marked the `ln -s` RUN as an empty layer: only three diff ids then.
    # Oldest first: ADD, CMD bash, WORKDIR, ENV, RUN ln (empty here), COPY, CMD.
    empty = [False, True, False, True, True, False, True]
    client = fake_client(tmp_path, HISTORY, {"history": [{"empty_layer": e} for e in empty]})
    (tmp_path / "layers.json").write_text(
        json.dumps(["sha256:base", "sha256:workdir", "sha256:src"])
    )
    layers = image_layers(client, "app")
    assert [(layer.diff_id, layer.size, layer.created_by.split()[0]) for layer in layers] == [
        ("sha256:base", 1000, "/bin/sh"),
        ("sha256:workdir", 0, "WORKDIR"),
        ("sha256:src", 4321, "COPY"),
    ]
    assert "save app" in (tmp_path / "calls.log").read_text()


def test_history_that_cannot_line_up_is_an_engine_error(tmp_path: Path) -> None:
    client = fake_client(tmp_path, HISTORY, config={"history": [{}]})
    (tmp_path / "layers.json").write_text(json.dumps(DIFF_IDS[:2]))
    with pytest.raises(EngineError, match="cannot line up"):
        image_layers(client, "app")


def test_new_layers_are_those_a_push_uploads_once() -> None:
    base, deps, src1, src2 = (Layer(f"sha256:{n}", 10, n) for n in ("b", "d", "s1", "s2"))
    assert new_layers([base, deps, src2], [base, deps, src1]) == [src2]
    assert new_layers([base, src2, src2], [base]) == [src2]  # one blob, uploaded once
    assert new_layers([base, deps], None) == [base, deps]
