"""Lockfile-honouring installs (LW107) as each installer answers them: which lockfile an install
may rewrite, and the form that installs what it pins instead."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from layerwise.context import BuildContext
from layerwise.ecosystems import INSTALLERS, bundler, composer, dotnet, pipenv, pnpm, uv, yarn
from layerwise.ecosystems.base import Installer, LockfileForm, is_ci
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText

ContextMaker = Callable[[dict[str, str]], BuildContext]
APPS = Path(__file__).resolve().parents[1] / "apps"


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


def lockfile(text: str) -> str | None:
    """The lockfile the one installer that answers names (several answering is a bug)."""
    c = cmd(text)
    found = [eco for eco in INSTALLERS if eco.lockfile_of(c)]
    assert len(found) <= 1, [eco.NAME for eco in found]
    # LW107 asks only the installer whose program runs the command.
    assert all(c.program_name in eco.PROGRAMS for eco in found)
    return found[0].lockfile_of(c) if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yarn", "yarn.lock"),
        ("yarn install --production", "yarn.lock"),
        ("yarn install --pure-lockfile", "yarn.lock"),
        ("yarn install --frozen-lockfile", None),
        ("yarn --immutable", None),
        ("yarn install --no-lockfile", None),
        ("yarn install --mode=update-lockfile", None),
        ("yarn --cwd web install", None),
        ("yarn add left-pad", None),
        ("yarn build", None),
        ("pnpm install", "pnpm-lock.yaml"),
        ("pnpm i --prod", "pnpm-lock.yaml"),
        ("pnpm install --frozen-lockfile", None),
        ("pnpm install --frozen-lockfile=false", None),
        ("pnpm install --no-frozen-lockfile", None),
        ("pnpm install --lockfile-only", None),
        ("pnpm fetch --prod", None),
        ("pnpm add express", None),
        ("uv sync", "uv.lock"),
        ("uv sync --no-dev --no-install-project", "uv.lock"),
        ("uv sync --locked", None),
        ("uv sync --frozen --no-dev", None),
        ("uv sync --upgrade", None),
        ("uv sync --project api", None),
        ("uv pip install -r requirements.txt", None),
        ("pipenv install", "Pipfile.lock"),
        ("pipenv install --dev --system", "Pipfile.lock"),  # the form decides about --system
        ("pipenv install --deploy", None),
        ("pipenv install --ignore-pipfile", None),
        ("pipenv install --skip-lock", None),
        ("pipenv install requests", None),
        ("pipenv sync", None),
        ("bundle install", "Gemfile.lock"),
        ("bundle", "Gemfile.lock"),
        ("bundle install --jobs 4", "Gemfile.lock"),
        ("bundle install --frozen", None),
        ("bundle install --deployment", None),
        ("bundle install --gemfile=Gemfile.ci", None),
        ("bundle exec rake", None),
        ("composer update", "composer.lock"),
        ("composer u --no-dev", "composer.lock"),
        ("composer update vendor/package", None),
        ("composer update --lock", None),
        ("composer -d app update", None),
        ("composer install", None),
        ("dotnet restore", "packages.lock.json"),
        ("dotnet restore src/Api/Api.csproj", "src/Api/packages.lock.json"),
        ("dotnet restore src/Api", "src/Api/packages.lock.json"),
        ("dotnet restore App.sln", None),
        ("dotnet restore --locked-mode", None),
        ("dotnet restore -p:RestoreLockedMode=true", None),
        ("dotnet restore --force-evaluate", None),
        ("dotnet publish -c Release", None),
        ("npm install", None),  # LW104's
        ("poetry install", None),
        ("go mod download", None),
        ("pip install -r requirements.txt", None),
    ],
)
def test_lockfile_of(text: str, expected: str | None) -> None:
    assert lockfile(text) == expected


def form(
    eco: Installer,
    text: str,
    env: Mapping[str, str] | None = None,
    context: BuildContext | None = None,
    earlier: tuple[str, ...] = (),
) -> LockfileForm | None:
    c = cmd(text)
    assert eco.lockfile_of(c) is not None
    return eco.lockfile_form(c, env or {}, context, "", [cmd(e) for e in earlier])


def edit(text: str, found: LockfileForm | None) -> str:
    """The command with the form applied (what LW107's fix writes)."""
    assert found is not None and found.word is not None
    word = found.word
    if found.place == "after":
        return text[: word.end] + " " + found.text + text[word.end :]
    if found.place == "before":
        return text[: word.start] + found.text + " " + text[word.start :]
    return text[: word.start] + found.text + text[word.end :]


@pytest.mark.parametrize(
    ("eco", "text", "fixed"),
    [
        (yarn, "yarn", "yarn --frozen-lockfile"),
        (yarn, "yarn install --production", "yarn install --frozen-lockfile --production"),
        (yarn, "yarn install --pure-lockfile", "yarn install --frozen-lockfile"),
        (yarn, "yarn install --check-cache", "yarn install --immutable --check-cache"),  # Berry
        (pnpm, "pnpm install --prod", "pnpm install --frozen-lockfile --prod"),
        (uv, "uv sync --no-dev", "uv sync --locked --no-dev"),
        (pipenv, "pipenv install --dev", "pipenv install --deploy --dev"),
        (bundler, "bundle install", "BUNDLE_FROZEN=true bundle install"),
        (bundler, "RAILS_ENV=production bundle", "RAILS_ENV=production BUNDLE_FROZEN=true bundle"),
        (bundler, "env X=1 bundle install", "env X=1 BUNDLE_FROZEN=true bundle install"),
        (composer, "composer update --no-dev -o", "composer install --no-dev -o"),
        (composer, "composer upgrade -n", "composer install -n"),
        (dotnet, "dotnet restore -r linux-x64", "dotnet restore --locked-mode -r linux-x64"),
    ],
)
def test_forms_without_context(eco: Installer, text: str, fixed: str) -> None:
    assert edit(text, form(eco, text)) == fixed


def test_no_edit_where_the_change_is_not_one_word() -> None:
    sudo = form(bundler, "sudo bundle install")
    assert sudo is not None and sudo.word is None  # sudo may drop the variable
    deliberate = form(composer, "composer update --prefer-lowest")
    assert deliberate is not None and deliberate.word is None


@pytest.mark.parametrize(
    ("eco", "text", "env", "earlier"),
    [
        (yarn, "yarn install", {"YARN_ENABLE_IMMUTABLE_INSTALLS": "true"}, ()),
        (yarn, "yarn install --immutable-cache", {"CI": "true"}, ()),  # Berry in CI
        (yarn, "yarn install", {}, ("yarn config set enableImmutableInstalls true",)),
        (pnpm, "pnpm install", {"CI": "1"}, ()),
        (pnpm, "pnpm install", {"BUILD_NUMBER": "12"}, ()),
        (pnpm, "pnpm install", {"npm_config_frozen_lockfile": "true"}, ()),
        (pnpm, "pnpm install", {}, ("pnpm config set frozen-lockfile true",)),
        (uv, "uv sync", {"UV_LOCKED": "1"}, ()),
        (uv, "UV_FROZEN=true uv sync", {}, ()),
        (pipenv, "pipenv install --system", {}, ()),
        (pipenv, "pipenv install", {"PIPENV_SKIP_LOCK": "1"}, ()),
        (bundler, "bundle install", {"BUNDLE_DEPLOYMENT": "1"}, ()),
        (bundler, "bundle install", {"BUNDLE_FROZEN": "true"}, ()),
        (bundler, "bundle install", {}, ("bundle config set --local frozen 'true'",)),
        (bundler, "bundle install", {}, ("bundle config --global frozen 1",)),
        (bundler, "bundle install", {}, ("bundle config set deployment true",)),
        (dotnet, "dotnet restore", {"RestoreLockedMode": "true"}, ()),
    ],
)
def test_already_held_to_the_lockfile(
    eco: Installer, text: str, env: dict[str, str], earlier: tuple[str, ...]
) -> None:
    assert form(eco, text, env, earlier=earlier) is None


@pytest.mark.parametrize(
    ("eco", "text", "env", "earlier"),
    [
        (yarn, "yarn install", {"CI": "true"}, ()),  # flavour unknown: classic ignores CI
        (pnpm, "pnpm install", {"CI": "false"}, ()),
        (pipenv, "pipenv install --system", {"VIRTUAL_ENV": "/venv"}, ()),
        (bundler, "bundle install", {"BUNDLE_FROZEN": "false"}, ()),
        (bundler, "bundle install", {}, ("bundle config set frozen false",)),
        (bundler, "bundle install", {}, ("bundle config set path vendor",)),
    ],
)
def test_still_free_to_rewrite_it(
    eco: Installer, text: str, env: dict[str, str], earlier: tuple[str, ...]
) -> None:
    assert form(eco, text, env, earlier=earlier) is not None


def test_ci_detection_follows_ci_info() -> None:
    assert is_ci({"CI": "true"}) and is_ci({"RUN_ID": "7"})
    assert not is_ci({}) and not is_ci({"CI": "false", "BUILD_NUMBER": "3"})


@pytest.mark.parametrize(
    ("files", "flag"),
    [
        ({"package.json": '{"packageManager": "yarn@4.5.0"}'}, "--immutable"),
        ({"package.json": '{"packageManager": "yarn@1.22.22"}'}, "--frozen-lockfile"),
        ({"yarn.lock": "__metadata:\n  version: 8\n"}, "--immutable"),
        ({"yarn.lock": "# yarn lockfile v1\n"}, "--frozen-lockfile"),
    ],
)
def test_yarn_flag_follows_the_flavour(
    make_context: ContextMaker, files: dict[str, str], flag: str
) -> None:
    found = form(yarn, "yarn install", context=make_context(files))
    assert found is not None and found.text == flag


@pytest.mark.parametrize(
    ("eco", "text", "files"),
    [
        (yarn, "yarn", {".yarnrc.yml": "enableImmutableInstalls: true\n"}),
        (yarn, "yarn", {".yarnrc": "--install.frozen-lockfile true\n"}),
        (pnpm, "pnpm install", {".npmrc": "frozen-lockfile = true\n"}),
        (pnpm, "pnpm install", {"pnpm-workspace.yaml": "frozenLockfile: true\n"}),
        (bundler, "bundle install", {".bundle/config": '---\nBUNDLE_FROZEN: "true"\n'}),
        (composer, "composer update", {"composer.json": '{"config": {"lock": false}}'}),
        (dotnet, "dotnet restore", {"Api.csproj": "<RestoreLockedMode>true</RestoreLockedMode>"}),
        (dotnet, "dotnet restore", {"Directory.Build.props": "<RestoreLockedMode>$(CI)<"}),
    ],
)
def test_project_settings_already_hold_it(
    make_context: ContextMaker, eco: Installer, text: str, files: dict[str, str]
) -> None:
    assert form(eco, text, context=make_context(files)) is None


def _uv_app(make_context: ContextMaker, **changes: str) -> BuildContext:
    """tests/apps/python-uv's pyproject.toml and uv.lock (made by a real `uv lock`)."""
    files = {n: (APPS / "python-uv" / n).read_text() for n in ("pyproject.toml", "uv.lock")}
    for name, (old, new) in ((n.replace("_", "."), c.split("|")) for n, c in changes.items()):
        assert old in files[name]
        files[name] = files[name].replace(old, new)
    return make_context(files)


def test_uv_lock_of_the_real_app_is_in_sync(make_context: ContextMaker) -> None:
    found = form(uv, "uv sync --no-dev", context=_uv_app(make_context))
    assert found is not None and found.proven


@pytest.mark.parametrize(
    "change",
    [
        {"pyproject_toml": '"uvicorn>=0.29",|"uvicorn>=0.30",'},  # a changed specifier
        {"pyproject_toml": '"uvicorn>=0.29",|"uvicorn>=0.29",\n    "httpx",'},  # a new dependency
        {"pyproject_toml": 'requires-python = ">=3.11"|requires-python = ">=3.12"'},
        {"pyproject_toml": '"uvicorn>=0.29",|"uvicorn[standard]>=0.29",'},  # extras: not compared
        {"pyproject_toml": "[build-system]|[tool.uv]\npackage = true\n\n[build-system]"},
        {"pyproject_toml": "[build-system]|[dependency-groups]\ndev = ['pytest']\n[build-system]"},
        {"uv_lock": 'source = { editable = "." }|source = { path = "." }'},
        {"uv_lock": '">=3.11"\n|">=3.11"\n\n[options]\nexclude-newer = "2025-01-01T00:00:00Z"\n'},
    ],
)
def test_uv_lock_not_shown_in_sync(make_context: ContextMaker, change: dict[str, str]) -> None:
    found = form(uv, "uv sync", context=_uv_app(make_context, **change))
    assert found is not None and not found.proven


def test_uv_proof_needs_pypi_and_no_resolver_settings(make_context: ContextMaker) -> None:
    context = _uv_app(make_context)
    for text, env in (
        ("uv sync --index-url https://mirror/simple", {}),
        ("uv sync", {"UV_INDEX_URL": "https://mirror/simple"}),
    ):
        found = form(uv, text, env, context)
        assert found is not None and not found.proven
    assert not uv.lock_in_sync(None, "")


def test_uv_dependency_groups_are_compared(make_context: ContextMaker) -> None:
    pyproject = (
        '[project]\nname = "App_X"\nversion = "1"\nrequires-python = ">=3.12"\n'
        'dependencies = ["Flask >= 3.0, <4"]\n\n[dependency-groups]\nDev = ["pytest"]\n'
    )
    lock = (
        'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "app-x"\n'
        'version = "1"\nsource = { virtual = "." }\n\n[package.metadata]\n'
        'requires-dist = [{ name = "flask", specifier = "<4,>=3.0" }]\n\n'
        '[package.metadata.requires-dev]\ndev = [{ name = "pytest" }]\n\n'
        '[[package]]\nname = "flask"\nversion = "3.1.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
    )
    context = make_context({"pyproject.toml": pyproject, "uv.lock": lock})
    assert uv.lock_in_sync(context, "")
    stale = make_context({"pyproject.toml": pyproject.replace('"pytest"', '"pytest", "ruff"')})
    assert not uv.lock_in_sync(stale, "")


def test_only_uv_can_prove_its_lock() -> None:
    """The other forms are never proven: their fixes stay unsafe whatever the context."""
    for eco, text in (
        (yarn, "yarn"),
        (pnpm, "pnpm install"),
        (pipenv, "pipenv install"),
        (bundler, "bundle install"),
        (composer, "composer update"),
        (dotnet, "dotnet restore"),
    ):
        found = form(eco, text)
        assert found is not None and not found.proven
