"""pip, uv, Poetry and Pipenv as Installers: what an install reads, its cache, what defeats it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from layerwise.context import BuildContext
from layerwise.ecosystems import INSTALLERS, base, installer_of, pip, pipenv, poetry, uv
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


# The `make_context` fixture (conftest.py): a build context holding the given files.
ContextMaker = Callable[[dict[str, str]], BuildContext]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pip install -r requirements.txt", True),
        ("pip install -r requirements.txt gunicorn", True),
        ("pip install .", False),
        ("pip install -e . -r requirements.txt", False),
        ("pip install flask", False),
        ("uv sync --frozen", True),
        ("uv pip install --system -r req.txt", True),
        ("uv pip install --system flask", False),
        ("uv run app.py", False),
        ("poetry install --no-root", True),
        ("poetry run app", False),
        ("pipenv install --deploy --system", True),
        ("pipenv install requests", False),
        ("pipenv sync", True),
    ],
)
def test_dependency_installs(text: str, expected: bool) -> None:
    assert any(eco.is_dependency_install(cmd(text)) for eco in INSTALLERS) is expected


def test_requirements_chain_is_read_from_the_context(make_context: ContextMaker) -> None:
    ctx = make_context(
        {
            "reqs/prod.txt": "-r base.txt\n--constraint=../c.txt\nx==1  # pinned\n",
            "reqs/base.txt": "-r prod.txt\nsix\n",
            "c.txt": "six<2\n",
        },
    )
    found = pip.dependency_install(cmd("pip install -r reqs/prod.txt"), {}, ctx, "")
    assert found is not None
    assert found.inputs == ("reqs/prod.txt", "reqs/base.txt", "c.txt")
    assert found.manifests == ("reqs/prod.txt",)
    assert found.proven


@pytest.mark.parametrize(
    "line",
    ["-e .", "./libs/x", "libs/x", "libs/x-1.0-py3-none-any.whl", "--find-links ./wheels",
     "-r ../../x.txt"],
)  # fmt: skip
def test_requirements_reading_the_project_give_no_move(
    make_context: ContextMaker, line: str
) -> None:
    ctx = make_context({"requirements.txt": f"six\n{line}\n"})
    assert pip.dependency_install(cmd("pip install -r requirements.txt"), {}, ctx, "") is None


@pytest.mark.parametrize(
    ("command", "env"),
    [
        ("pip install -r requirements.txt --no-index --find-links=wheels", {}),
        ("pip install -r requirements.txt", {"PIP_FIND_LINKS": "/app/wheels"}),
        ("pip install -r requirements.txt", {"PIP_CONSTRAINT": "/app/constraints.txt"}),
        ("uv pip install --system -f wheels -r requirements.txt", {}),
        ("uv pip install --system -r requirements.txt", {"UV_CONSTRAINT": "c.txt"}),
        ("uv pip install --system -r requirements.txt --override o.txt", {}),
    ],
)
def test_installs_looking_in_the_context_give_no_move(
    make_context: ContextMaker, command: str, env: dict[str, str]
) -> None:
    """A local `--find-links`, constraints or requirements from the command or the ENV: the
    install reads files that only the broad COPY brings."""
    ctx = make_context({"requirements.txt": "six\n"})
    eco = installer_of(cmd(command))
    assert eco is not None and eco.is_dependency_install(cmd(command))
    assert eco.dependency_install(cmd(command), {}, ctx, "") is not None or not env
    assert eco.dependency_install(cmd(command), env, ctx, "") is None


def test_remote_find_links_still_moves(make_context: ContextMaker) -> None:
    ctx = make_context({"requirements.txt": "six\n"})
    command = cmd("pip install -r requirements.txt -f https://example.com/wheels/")
    found = pip.dependency_install(command, {"PIP_FIND_LINKS": "https://x/simple"}, ctx, "")
    assert found is not None and found.proven


def test_missing_requirements_file_is_not_proven(make_context: ContextMaker) -> None:
    found = pip.dependency_install(cmd("pip install -r r.txt"), {}, make_context({}), "app")
    assert found is not None and found.inputs == ("app/r.txt",) and not found.proven


def test_uv_sync_splits_and_dependency_only_moves(make_context: ContextMaker) -> None:
    files = {"pyproject.toml": "[project]\nname='a'\n", "uv.lock": "", "uv.toml": ""}
    ctx = make_context(files)
    split = uv.dependency_install(cmd("uv sync --frozen"), {}, ctx, "")
    assert split is not None and split.proven
    assert split.before == "uv sync --frozen --no-install-project"
    resolving = uv.dependency_install(cmd("uv sync"), {}, ctx, "")
    assert resolving is not None and not resolving.proven  # may rewrite uv.lock
    moved = uv.dependency_install(cmd("uv sync --locked --no-install-project"), {}, ctx, "")
    assert moved is not None and moved.proven and moved.before is None
    assert moved.inputs == ("pyproject.toml", "uv.lock", "uv.toml")
    unlocked = uv.dependency_install(cmd("uv sync --no-install-project"), {}, ctx, "")
    assert unlocked is not None and not unlocked.proven  # may rewrite uv.lock


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": "[project]\ndynamic = ['version']\n", "uv.lock": ""},
        {"pyproject.toml": "", "uv.lock": "", ".venv/bin/python": ""},
        {"pyproject.toml": ""},
    ],
)
def test_uv_unproven_projects(make_context: ContextMaker, files: dict[str, str]) -> None:
    found = uv.dependency_install(
        cmd("uv sync --frozen --no-install-project"), {}, make_context(files), ""
    )
    assert found is not None and not found.proven


@pytest.mark.parametrize(
    ("module", "command", "files"),
    [
        (uv, "uv sync --frozen --no-install-project",
         {"pyproject.toml": "[tool.uv.sources]\nlib = { path = 'lib' }\n", "uv.lock": ""}),
        (uv, "uv sync --frozen",
         {"pyproject.toml": "[tool.uv.workspace]\nmembers = ['packages/*']\n", "uv.lock": ""}),
        (poetry, "poetry install --no-root",
         {"pyproject.toml": "[tool.poetry.dependencies]\nlib = {path = 'lib'}\n",
          "poetry.lock": ""}),
        (pipenv, "pipenv install --deploy",
         {"Pipfile": "[packages]\nmylib = {path = './libs/mylib', editable = true}\n",
          "Pipfile.lock": ""}),
    ],
)  # fmt: skip
def test_installs_of_local_sources_cannot_move(
    make_context: ContextMaker, module: base.Installer, command: str, files: dict[str, str]
) -> None:
    """A path, editable or workspace dependency is installed from sources that only the broad
    COPY brings: above it the install fails, so no move is offered (LW101 gives no fix)."""
    assert module.dependency_install(cmd(command), {}, make_context(files), "") is None


def test_poetry_and_pipenv_inputs(make_context: ContextMaker) -> None:
    ctx = make_context(
        {"pyproject.toml": "", "poetry.lock": "", "Pipfile": "", "Pipfile.lock": "", ".env": ""},
    )
    found = poetry.dependency_install(cmd("poetry install --only main"), {}, ctx, "")
    assert found is not None and found.before == "poetry install --only main --no-root"
    assert not found.proven
    locked = pipenv.dependency_install(cmd("pipenv install --deploy"), {}, ctx, "")
    assert locked is not None and locked.proven
    assert locked.inputs == ("Pipfile", "Pipfile.lock", ".env")
    loose = pipenv.dependency_install(cmd("pipenv install"), {}, ctx, "")
    assert loose is not None and not loose.proven


@pytest.mark.parametrize(
    ("text", "env", "home", "targets"),
    [
        ("pip install x", {}, "/root", ("/root/.cache/pip",)),
        ("pip install --cache-dir /c x", {}, "/root", ("/c",)),
        ("PIP_CACHE_DIR=/p pip install x", {}, "/root", ("/p",)),
        ("pip install x", {"XDG_CACHE_HOME": "/x"}, "/home/a", ("/x/pip",)),
        ("pip install x", {"PIP_NO_CACHE_DIR": "false"}, "/root", ()),
        ("uv sync", {"UV_CACHE_DIR": "/u"}, "/root", ("/u",)),
        ("uv pip install x", {}, "/home/a", ("/home/a/.cache/uv",)),
        (
            "poetry install",
            {},
            "/root",
            ("/root/.cache/pypoetry/cache", "/root/.cache/pypoetry/artifacts"),
        ),
        (
            "poetry install",
            {"POETRY_VIRTUALENVS_IN_PROJECT": "true"},
            "/root",
            ("/root/.cache/pypoetry",),
        ),
        # Poetry's boolean reads only `true` and `1` as true: `yes` keeps the environment in
        # `virtualenvs/` of the cache directory.
        (
            "poetry install",
            {"POETRY_VIRTUALENVS_IN_PROJECT": "yes"},
            "/root",
            ("/root/.cache/pypoetry/cache", "/root/.cache/pypoetry/artifacts"),
        ),
        (
            "poetry install",
            {"POETRY_CACHE_DIR": "/opt/p", "POETRY_VIRTUALENVS_PATH": "/opt/p/venvs"},
            "/root",
            ("/opt/p/cache", "/opt/p/artifacts"),
        ),
        (
            "poetry install",
            {"POETRY_CACHE_DIR": "/opt/p", "POETRY_VIRTUALENVS_PATH": "/opt/venvs"},
            "/root",
            ("/opt/p",),
        ),
        # An environment inside one package folder: only the other one is a mount.
        (
            "POETRY_VIRTUALENVS_PATH={cache-dir}/cache/v poetry install",
            {},
            "/root",
            ("/root/.cache/pypoetry/artifacts",),
        ),
        ("pipenv sync", {"PIPENV_CACHE_DIR": "/pe"}, "/root", ("/pe",)),
        ("pip freeze", {}, "/root", ()),
    ],
)
def test_cache_targets(text: str, env: dict[str, str], home: str, targets: tuple[str, ...]) -> None:
    c = cmd(text)
    eco = installer_of(c)
    got = eco.install_caches(c, home, None, env) if eco is not None else ()
    assert tuple(m.target for m in got) == targets


def test_user_gets_uid_gid() -> None:
    (mount,) = pip.install_caches(cmd("pip install x"), "/home/a", ("1000", "1000"), {})
    assert mount.flag_text() == "--mount=type=cache,target=/home/a/.cache/pip,uid=1000,gid=1000"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("pip install --no-cache-dir x", ["--no-cache-dir"]),
        ("PIP_NO_CACHE_DIR=1 python -m pip install x", ["PIP_NO_CACHE_DIR=1"]),
        ("uv sync --no-cache", ["--no-cache"]),
        ("UV_NO_CACHE=1 uv pip install -n x", ["UV_NO_CACHE=1", "-n"]),
        ("poetry install --no-cache", ["--no-cache"]),
        ("pip install x", []),
    ],
)
def test_cache_defeats(text: str, words: list[str]) -> None:
    c = cmd(text)
    eco = installer_of(c)
    assert eco is not None
    assert [w.text for w in eco.cache_defeats(c)] == words


def test_uv_link_mode() -> None:
    assert uv.mount_assignments(cmd("uv sync"), {}) == ("UV_LINK_MODE=copy",)
    assert uv.mount_assignments(cmd("uv sync"), {"UV_LINK_MODE": "copy"}) == ()
    assert uv.mount_assignments(cmd("uv sync --link-mode=copy"), {}) == ()


@pytest.mark.parametrize(
    ("eco", "text", "cleans"),
    [
        (pip, "pip cache purge", True),
        (pip, "rm -rf ~/.cache/pip", True),
        (pip, "rm -rf /root/.cache", True),
        (uv, "uv cache clean", True),
        (uv, "rm -rf $HOME/.cache/uv", True),
        (poetry, "poetry cache clear --all pypi", True),
        (pipenv, "rm -rf /root/.cache/pipenv/http", True),
        (pip, "rm -rf /tmp/x", False),
    ],
)
def test_cache_cleaning(eco: object, text: str, cleans: bool) -> None:
    assert eco.cache_cleaning(cmd(text)) is cleans  # type: ignore[attr-defined]


def test_omitting_dev_and_lock_flags() -> None:
    assert uv.omits_dev(cmd("uv sync --no-dev")) and uv.is_locked(cmd("uv sync --frozen"))
    assert poetry.omits_dev(cmd("poetry install --only main"))
    assert poetry.omits_dev(cmd("poetry install --without dev,test"))
    assert not poetry.omits_dev(cmd("poetry install"))
    assert pipenv.is_locked(cmd("pipenv install --deploy")) and not pipenv.is_locked(
        cmd("pipenv install")
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "/c/virtualenvs"),
        ({"POETRY_VIRTUALENVS_CREATE": "false"}, None),
        ({"POETRY_VIRTUALENVS_CREATE": "no"}, None),  # not `true`/`1`: false for Poetry
        ({"POETRY_VIRTUALENVS_CREATE": "TRUE"}, "/c/virtualenvs"),  # true for Poetry 2
        ({"POETRY_VIRTUALENVS_CREATE": ""}, "/c/virtualenvs"),
        ({"POETRY_VIRTUALENVS_IN_PROJECT": "1"}, None),
        ({"POETRY_VIRTUALENVS_IN_PROJECT": "on"}, "/c/virtualenvs"),
        ({"POETRY_VIRTUALENVS_IN_PROJECT": "True"}, "/c/virtualenvs"),  # false for Poetry 1
        ({"POETRY_VIRTUALENVS_PATH": "{cache-dir}/envs"}, "/c/envs"),
        ({"POETRY_VIRTUALENVS_PATH": "/v"}, "/v"),
    ],
)
def test_poetry_venvs_dir(env: dict[str, str], expected: str | None) -> None:
    assert poetry.venvs_dir("/c", env) == expected


def test_pipenv_pipfile_names_manifests_elsewhere() -> None:
    install = cmd("pipenv install --deploy")
    assert pipenv.dependency_install(install, {}, None, "") is not None
    # ENV, ARG (both reach `State.variables`) or a prefix: the Pipfile read is another one.
    assert (
        pipenv.dependency_install(install, {"PIPENV_PIPFILE": "/app/x/Pipfile"}, None, "") is None
    )
    prefixed = cmd("PIPENV_PIPFILE=deploy/Pipfile pipenv install --deploy")
    assert pipenv.dependency_install(prefixed, {}, None, "") is None
    assert pipenv.lockfile_form(prefixed, {}, None, "", ()) is None
    # An empty value is unset for Pipenv.
    assert pipenv.dependency_install(install, {"PIPENV_PIPFILE": ""}, None, "") is not None
