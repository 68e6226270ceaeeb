"""How each installer leaves development dependencies out (`dev_form`, LW301), prunes a full
install to a production one (`pruning`, LW304), and what Berry's .yarnrc.yml says about its
cache (`yarn.project_env`, LW201)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from layerwise import ecosystems
from layerwise.context import BuildContext
from layerwise.ecosystems import base, bundler, composer, pip, pipenv, pnpm, poetry, uv, yarn
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText

ContextMaker = Callable[[dict[str, str]], BuildContext]


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


def form(module: base.Installer, text: str, context: BuildContext | None = None) -> str | None:
    """The command as the form would leave it, "" when no edit is known, None for no form."""
    c = cmd(text)
    found = module.dev_form(c, {}, context, "", ())
    if found is None:
        return None
    if not found.words:
        return ""
    word = found.words[0]
    if found.place == "remove":
        out = text
        for w in sorted(found.words, key=lambda w: -w.start):
            out = (out[: w.start].rstrip(" ") + " " + out[w.end :].lstrip(" ")).strip()
        return out
    if found.place == "before":
        return text[: word.start] + found.text + " " + text[word.start :]
    if found.place == "replace":
        return text[: word.start] + found.text + text[word.end :]
    if found.place == "env":
        return f"ENV {found.text}\n{text}"
    return text[: word.end] + " " + found.text + text[word.end :]


@pytest.mark.parametrize(
    ("module", "text", "expected"),
    [
        (poetry, "poetry install --no-root", "poetry install --only main --no-root"),
        (poetry, "poetry install --only main", None),
        (poetry, "poetry install --without dev", None),
        (poetry, "poetry install --with docs", None),
        (poetry, "poetry run pytest", None),
        (uv, "uv sync --locked", "uv sync --no-dev --locked"),
        (uv, "uv sync --no-dev", None),
        (uv, "uv sync --only-group prod", None),
        (uv, "UV_NO_DEV=1 uv sync", None),
        (uv, "uv pip install -r requirements.txt", None),
        (uv, "uv pip install --system -r requirements.txt -r requirements-dev.txt",
         "uv pip install --system -r requirements.txt"),
        (pipenv, "pipenv install --deploy --dev", "pipenv install --deploy"),
        (pipenv, "PIPENV_DEV=1 pipenv sync", "pipenv sync"),
        (pipenv, "pipenv install --deploy", None),
        (pip, "pip install -r requirements.txt", None),
        (pip, "pip install -r requirements.txt -r requirements-dev.txt",
         "pip install -r requirements.txt"),
        (pip, "pip install -r requirements/test.txt", ""),
        (pip, "pip install -r devices.txt -r requirements.txt", None),
        (pnpm, "pnpm install --frozen-lockfile", "pnpm install --prod --frozen-lockfile"),
        (pnpm, "pnpm install -P", None),
        (pnpm, "NODE_ENV=production pnpm install", None),
        (pnpm, "pnpm fetch", None),
        (composer, "composer install", "composer install --no-dev"),
        (composer, "composer install --no-dev", None),
        (composer, "COMPOSER_NO_DEV=1 composer install", None),
        # ENV, not a prefix: Bundler keeps no setting given for one command (#5661).
        (bundler, "bundle install", "ENV BUNDLE_WITHOUT=development:test\nbundle install"),
        (bundler, "BUNDLE_WITHOUT=development bundle install", None),
        (bundler, "sudo bundle install", "ENV BUNDLE_WITHOUT=development:test\nsudo bundle install"),  # noqa: E501
        (yarn, "yarn install --immutable", ""),
        (yarn, "yarn --production", None),
        (yarn, "yarn", ""),
    ],
)  # fmt: skip
def test_dev_form_without_context(module: base.Installer, text: str, expected: str | None) -> None:
    assert form(module, text) == expected


def test_yarn_flavours(make_context: ContextMaker) -> None:
    classic = make_context({"package.json": '{"packageManager": "yarn@1.22.22",'
                            ' "devDependencies": {"typescript": "5"}}'})  # fmt: skip
    assert form(yarn, "yarn install", classic) == "yarn install --production"
    assert form(yarn, "yarn", classic) == "yarn --production"


@pytest.mark.parametrize(
    ("manager", "rc", "expected"),
    [
        ("yarn@4.5.0", "", "yarn workspaces focus --production"),
        ("yarn@3.8.0", "", ""),  # `workspaces focus` is a plugin before Yarn 4
        ("yarn@3.8.0", "plugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n",
         "yarn workspaces focus --production"),
    ],
)  # fmt: skip
def test_yarn_berry_focus(make_context: ContextMaker, manager: str, rc: str, expected: str) -> None:
    context = make_context({
        "package.json": f'{{"packageManager": "{manager}", "devDependencies": {{"a": "1"}}}}',
        ".yarnrc.yml": rc or "nodeLinker: node-modules\n",
    })  # fmt: skip
    assert form(yarn, "yarn install", context) == expected


@pytest.mark.parametrize(
    ("earlier", "env", "flag"),
    [
        ('pip install "poetry==1.1.15"', {}, "--no-dev"),  # Poetry 1.1 has no --only
        ("pipx install poetry==1.1.14", {}, "--no-dev"),
        ("pip install poetry==1.8.5", {}, "--only main"),
        ("true", {"POETRY_VERSION": "1.1.15"}, "--no-dev"),  # install.python-poetry.org
        ("true", {"POETRY_VERSION": "2.0.1"}, "--only main"),
        ("pip install poetry", {}, "--only main"),  # unpinned: today's Poetry
    ],
)
def test_poetry_before_1_2_leaves_dev_out_with_no_dev(
    earlier: str, env: dict[str, str], flag: str
) -> None:
    found = poetry.dev_form(cmd("poetry install"), env, None, "", (cmd(earlier),))
    assert found is not None and found.text == flag


def test_the_project_decides(make_context: ContextMaker) -> None:
    """No development dependencies declared: nothing to leave out."""
    poetry_main = make_context({"pyproject.toml": '[tool.poetry.dependencies]\nflask = "3"\n'})
    assert form(poetry, "poetry install", poetry_main) is None
    uv_groups = make_context(
        {"pyproject.toml": '[project]\nname = "a"\n[tool.uv]\ndefault-groups = []\n'}
    )
    assert form(uv, "uv sync", uv_groups) is None
    no_require_dev = make_context({"composer.json": '{"require": {"php": ">=8.2"}}'})
    assert form(composer, "composer install", no_require_dev) is None
    no_groups = make_context({"Gemfile": 'gem "rails"\n'})
    assert form(bundler, "bundle install", no_groups) is None
    split = make_context(
        {"requirements.txt": "flask\n", "requirements-dev.txt": "-r requirements.txt\npytest\n"}
    )
    assert (
        form(pip, "pip install -r requirements-dev.txt", split) == "pip install -r requirements.txt"
    )


@pytest.mark.parametrize(
    ("text", "folder", "command"),
    [
        ("pnpm install --prod --frozen-lockfile", "node_modules", "pnpm prune --prod"),
        ("yarn install --production", "node_modules", "yarn install --production"),
        ("uv sync --locked --no-dev", ".venv", "uv sync --locked --no-dev"),
        ("UV_PROJECT_ENVIRONMENT=/venv uv sync --no-dev", None, None),
        ("poetry install --only main", None, None),
        ("pip install -r requirements.txt", None, None),
        ("npm ci --omit=dev", None, None),
    ],
)
def test_pruning(text: str, folder: str | None, command: str | None) -> None:
    c = cmd(text)
    eco = ecosystems.installer_of(c)
    assert eco is not None
    found = eco.pruning(c, {}, None, "")
    got = (found.folder, found.command) if found is not None else (None, None)
    assert got == (folder, command)


def test_composer_pruning_reads_vendor_dir(make_context: ContextMaker) -> None:
    c = cmd("composer install --no-dev")
    plain = make_context({"composer.json": "{}"})
    assert composer.pruning(c, {}, plain, "") == base.Pruning("vendor", c.text)
    assert composer.pruning(c, {}, None, "") is None
    moved = make_context({"composer.json": '{"config": {"vendor-dir": "lib"}}'})
    assert composer.pruning(c, {}, moved, "") is None


def _everywhere(_path: str) -> bool:
    return True


def _rc_only(path: str) -> bool:
    """The image has the rc file, not a project cache folder."""
    return path == ".yarnrc.yml"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"package.json": '{"packageManager": "yarn@4.5.0"}',
          ".yarnrc.yml": "nodeLinker: node-modules\n"},
         {"YARN_NODE_LINKER": "node-modules", "YARN_ENABLE_GLOBAL_CACHE": "true",
          "YARN_CACHE_FOLDER": "./.yarn/cache"}),
        ({"package.json": '{"packageManager": "yarn@3.8.0"}', ".yarnrc.yml": "nodeLinker: pnp\n"},
         {"YARN_NODE_LINKER": "pnp", "YARN_ENABLE_GLOBAL_CACHE": "false",
          "YARN_CACHE_FOLDER": "./.yarn/cache"}),
        ({"package.json": "{}", ".yarnrc.yml": "globalFolder: /opt/y\nenableGlobalCache: true\n"},
         {"YARN_NODE_LINKER": "pnp", "YARN_ENABLE_GLOBAL_CACHE": "true",
          "YARN_GLOBAL_FOLDER": "/opt/y", "YARN_CACHE_FOLDER": "./.yarn/cache"}),
        ({"package.json": '{"packageManager": "yarn@4.5.0"}', ".yarnrc.yml": "nodeLinker: [\n"},
         {"YARN_NODE_LINKER": "pnp"}),
        ({"package.json": '{"packageManager": "yarn@1.22.22"}'}, {}),
    ],
)  # fmt: skip
def test_berry_project_env(
    make_context: ContextMaker, files: dict[str, str], expected: dict[str, str]
) -> None:
    assert yarn.project_env(make_context(files), "", _rc_only) == expected


def test_berry_project_env_in_image_only(make_context: ContextMaker) -> None:
    context = make_context({
        "package.json": '{"packageManager": "yarn@4.5.0"}',
        ".yarnrc.yml": "nodeLinker: node-modules\nenableGlobalCache: false\n",
    })  # fmt: skip
    # The rc file left out of the image: Berry's defaults (Plug'n'Play, Yarn 4's global cache).
    left_out = yarn.project_env(context, "", lambda path: path != ".yarnrc.yml")
    assert left_out["YARN_NODE_LINKER"] == "pnp"
    # A project cache the image already has (a committed offline cache) gets no folder.
    offline = yarn.project_env(context, "", _everywhere)
    assert offline["YARN_ENABLE_GLOBAL_CACHE"] == "false"
    assert "YARN_CACHE_FOLDER" not in offline
    with_folder = yarn.project_env(context, "", _rc_only)
    assert with_folder["YARN_CACHE_FOLDER"] == "./.yarn/cache"


def test_berry_global_cache_follows_xdg() -> None:
    assert yarn.berry_global_cache("/root") == "/root/.yarn/berry/cache"
    assert yarn.berry_global_cache("/root", {"XDG_DATA_HOME": "/d"}) == "/d/yarn/berry/cache"
    env = {"XDG_DATA_HOME": "/d", "YARN_GLOBAL_FOLDER": "/g"}
    assert yarn.berry_global_cache("/root", env) == "/g/cache"


@pytest.mark.parametrize(
    ("path", "dev"),
    [
        ("requirements-dev.txt", True),
        ("dev-requirements.txt", True),
        ("requirements/test.txt", True),
        ("requirements_testing.in", True),
        ("requirements.txt", False),
        ("devices.txt", False),
        ("requirements/prod.txt", False),
    ],
)
def test_dev_requirement_files(path: str, dev: bool) -> None:
    assert pip.is_dev_requirements(path) is dev


@pytest.mark.parametrize(
    ("text", "dev"),
    [
        ("pytest -q", True),
        ("python3 -m mypy src", True),
        ("vendor/bin/phpunit", True),
        ("bin/rspec", True),
        ("python manage.py collectstatic", False),
        ("gunicorn app:app", False),
    ],
)
def test_runs_dev_tool(text: str, dev: bool) -> None:
    assert base.runs_dev_tool(cmd(text)) is dev
