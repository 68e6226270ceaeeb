"""BuildContext over tmp_path trees: ignore files, walking, reading, npm projects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from layerwise.context import DEFAULT_COPY_SOURCES, BuildContext, npm_copy_sources
from layerwise.errors import LayerwiseError


def make(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def package_json(**fields: object) -> str:
    return json.dumps({"name": "app", "version": "1.0.0", **fields})


def test_open_without_ignore_file(tmp_path: Path) -> None:
    make(tmp_path, {"a.txt": "x", "src/b.ts": "y"})
    ctx = BuildContext.open(tmp_path)
    assert ctx.ignore_file is None
    assert list(ctx.files()) == ["a.txt", "src/b.ts"]
    assert ctx.exists("src") and ctx.is_dir("src")
    assert ctx.read_text("a.txt") == "x"


def test_ignored_files_are_absent(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            ".dockerignore": "node_modules\n*.log\n.env\n",
            "node_modules/x/index.js": "",
            "debug.log": "",
            ".env": "SECRET=1",
            "src/app.ts": "",
            "src/app.log": "",
        },
    )
    ctx = BuildContext.open(tmp_path)
    assert ctx.ignore_file == tmp_path / ".dockerignore"
    assert list(ctx.files()) == [".dockerignore", "src/app.log", "src/app.ts"]
    assert ctx.is_ignored("node_modules/x/index.js")
    assert not ctx.exists(".env")
    assert ctx.read_text(".env") is None
    assert ctx.is_ignored("later-created.log")  # whether or not it exists
    assert not ctx.exists("missing.txt")


def test_exceptions_reach_inside_ignored_directories(tmp_path: Path) -> None:
    files = {".dockerignore": "*\n!src\n!package.json\n", "src/a.ts": "", "docs/x.md": ""}
    make(tmp_path, {**files, "package.json": "{}"})
    assert list(BuildContext.open(tmp_path).files()) == ["package.json", "src/a.ts"]


def test_dockerfile_specific_ignore_file_wins(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            ".dockerignore": "a.txt\n",
            "build/app.Dockerfile": "FROM x\n",
            "build/app.Dockerfile.dockerignore": "b.txt\n",
            "a.txt": "",
            "b.txt": "",
        },
    )
    ctx = BuildContext.open(tmp_path, tmp_path / "build" / "app.Dockerfile")
    assert ctx.ignore_file == tmp_path / "build" / "app.Dockerfile.dockerignore"
    assert ctx.exists("a.txt")
    assert not ctx.exists("b.txt")
    # Another Dockerfile in the same context falls back to the root file.
    other = BuildContext.open(tmp_path, tmp_path / "Dockerfile")
    assert not other.exists("a.txt")
    assert other.exists("b.txt")


def test_paths_are_normalised_and_cannot_escape(tmp_path: Path) -> None:
    make(tmp_path, {"a/b.txt": "x"})
    ctx = BuildContext.open(tmp_path / "a")
    assert ctx.exists("./b.txt") and ctx.exists("/b.txt")
    assert not ctx.exists("../a/b.txt")
    assert ctx.read_text("../a/b.txt") is None
    assert ctx.exists("") and not ctx.is_ignored(".")


def test_not_a_directory_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(LayerwiseError) as info:
        BuildContext.open(tmp_path / "nope")
    assert "not a directory" in str(info.value)


def test_read_json_tolerates_bad_json(tmp_path: Path) -> None:
    make(tmp_path, {"package.json": "{oops", "ok.json": '{"a": 1}'})
    ctx = BuildContext.open(tmp_path)
    assert ctx.read_json("package.json") is None
    assert ctx.read_json("ok.json") == {"a": 1}
    assert ctx.read_json("dir") is None


# --- npm projects


def test_no_package_json_gives_none_and_default_sources(tmp_path: Path) -> None:
    ctx = BuildContext.open(make(tmp_path, {"main.go": ""}))
    assert ctx.npm_project() is None
    assert npm_copy_sources(ctx) == DEFAULT_COPY_SOURCES == ("package*.json",)
    assert npm_copy_sources(None) == ("package*.json",)


def test_plain_project_with_lockfile_and_npmrc(tmp_path: Path) -> None:
    make(tmp_path, {"package.json": package_json(), "package-lock.json": "{}", ".npmrc": "x"})
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.lockfile == "package-lock.json"
    assert project.npmrc == ".npmrc"
    assert project.copy_sources == ("package.json", "package-lock.json", ".npmrc")


def test_shrinkwrap_and_missing_or_ignored_lockfile(tmp_path: Path) -> None:
    make(tmp_path, {"package.json": package_json(), "npm-shrinkwrap.json": "{}"})
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None and project.lockfile == "npm-shrinkwrap.json"
    (tmp_path / ".dockerignore").write_text("npm-shrinkwrap.json\n")
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None and project.lockfile is None


def test_prisma_schema_needed_by_postinstall(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": package_json(scripts={"postinstall": "prisma generate"}),
            "prisma/schema.prisma": "generator client {}",
            "prisma/migrations/1/migration.sql": "",
        },
    )
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.prisma_schema == "prisma"
    assert "prisma" in project.copy_sources
    assert project.runs_at_install("prisma")


def test_prisma_section_with_custom_schema(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": package_json(prisma={"schema": "db/schema.prisma"}),
            "db/schema.prisma": "",
        },
    )
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None and project.prisma_schema == "db"


def test_prisma_schema_option_in_script(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": package_json(
                scripts={"postinstall": "prisma generate --schema=./orm/schema.prisma"}
            ),
            "orm/schema.prisma": "",
        },
    )
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None and project.prisma_schema == "orm"


def test_prisma_not_needed_when_only_build_runs_it(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": package_json(scripts={"build": "prisma generate && nest build"}),
            "prisma/schema.prisma": "",
        },
    )
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.prisma_schema is None
    assert project.copy_sources == ("package.json",)


def test_patch_package_and_script_files(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": package_json(
                scripts={
                    "preinstall": "node ./scripts/check-node.js",
                    "postinstall": "patch-package && sh tools/setup.sh --fast",
                }
            ),
            "patches/left-pad+1.0.0.patch": "",
            "scripts/check-node.js": "",
            "tools/setup.sh": "",
        },
    )
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.patches_dir == "patches"
    assert project.script_files == ("scripts/check-node.js", "tools/setup.sh")
    assert project.install_files == ("patches", "scripts/check-node.js", "tools/setup.sh")


def test_patch_package_custom_dir(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": package_json(
                scripts={"postinstall": "npx patch-package --patch-dir fixes"}
            ),
            "fixes/a.patch": "",
        },
    )
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None and project.patches_dir == "fixes"


def test_workspaces(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "package.json": package_json(workspaces=["packages/*", "apps/web"]),
            "package-lock.json": "{}",
            "packages/a/package.json": package_json(name="a"),
            "packages/b/package.json": package_json(name="b"),
            "packages/b/node_modules/dep/package.json": "{}",
            "packages/readme.md": "",
            "apps/web/package.json": package_json(name="web"),
            "apps/api/package.json": package_json(name="api"),
        },
    )
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.workspaces == ("packages/*", "apps/web")
    assert project.workspace_dirs == ("packages/a", "packages/b", "apps/web")
    assert project.manifests == (
        "package.json",
        "package-lock.json",
        "packages/a/package.json",
        "packages/b/package.json",
        "apps/web/package.json",
    )


def test_workspaces_object_form_and_subdirectory_project(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "web/package.json": package_json(workspaces={"packages": ["libs/**"]}),
            "web/libs/x/y/package.json": "{}",
        },
    )
    ctx = BuildContext.open(tmp_path)
    project = ctx.npm_project("web")
    assert project is not None
    assert project.manifest == "web/package.json"
    assert project.workspace_dirs == ("web/libs/x/y",)
    assert ctx.npm_project("web/") is project  # cached per normalised dir


def test_invalid_package_json_is_reported_not_raised(tmp_path: Path) -> None:
    make(tmp_path, {"package.json": "[1, 2]"})
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.problems == ("package.json is not a JSON object",)
    assert project.scripts == {}


def test_files_depth_and_skip(tmp_path: Path) -> None:
    make(tmp_path, {"a.txt": "", "d/b.txt": "", "d/e/c.txt": "", "node_modules/x/i.js": ""})
    ctx = BuildContext.open(tmp_path)
    assert list(ctx.files(max_depth=0)) == ["a.txt"]
    assert list(ctx.files(max_depth=1, skip=frozenset({"node_modules"}))) == ["a.txt", "d/b.txt"]
    assert list(ctx.files("d")) == ["d/b.txt", "d/e/c.txt"]
    assert list(ctx.files("missing")) == []


@pytest.mark.parametrize(
    ("npmrc", "secrets", "env_vars"),
    [
        ("registry=https://registry.example.com/\n", False, ()),
        ("//registry.npmjs.org/:_authToken=npm_abc123\n", True, ()),
        ("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", False, ("NPM_TOKEN",)),
        ('//r.example/:_authToken="${TOKEN}"\nalways-auth=true\n', False, ("TOKEN",)),
        ("; comment\n_auth=dXNlcjpwYXNz\n", True, ()),
        ("# _authToken=old\n", False, ()),
    ],
)
def test_npmrc_credentials(
    tmp_path: Path, npmrc: str, secrets: bool, env_vars: tuple[str, ...]
) -> None:
    make(tmp_path, {"package.json": package_json(), ".npmrc": npmrc})
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.npmrc == ".npmrc"
    assert project.npmrc_secrets is secrets
    assert project.npmrc_env_vars == env_vars


@pytest.mark.parametrize(
    ("files", "manager", "lock"),
    [
        ({"package-lock.json": "{}"}, "npm", "package-lock.json"),
        ({"yarn.lock": ""}, "yarn", "yarn.lock"),
        ({"pnpm-lock.yaml": ""}, "pnpm", "pnpm-lock.yaml"),
        ({}, "npm", None),
    ],
)
def test_package_manager_from_lockfile(
    tmp_path: Path, files: dict[str, str], manager: str, lock: str | None
) -> None:
    make(tmp_path, {"package.json": package_json(), **files})
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert (project.package_manager, project.node_lockfile) == (manager, lock)


def test_package_manager_field_wins(tmp_path: Path) -> None:
    make(tmp_path, {"package.json": package_json(packageManager="yarn@1.22.22"), "x.lock": ""})
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert (project.package_manager, project.node_lockfile) == ("yarn", None)


def test_yarn_and_pnpm_lockfiles_are_manifests(tmp_path: Path) -> None:
    make(
        tmp_path, {"package.json": package_json(), "pnpm-lock.yaml": "", "pnpm-workspace.yaml": ""}
    )
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.lockfile is None  # npm's own lockfile
    assert project.manifests == ("package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml")


@pytest.mark.parametrize(
    ("scripts", "files", "understood"),
    [
        ({}, {}, True),
        ({"postinstall": "prisma generate"}, {"prisma/schema.prisma": ""}, True),
        ({"postinstall": "prisma generate"}, {}, False),  # no schema found
        ({"postinstall": "npx patch-package"}, {"patches/a.patch": ""}, True),
        ({"postinstall": "node scripts/setup.js"}, {"scripts/setup.js": ""}, False),
        ({"prepare": "husky install"}, {}, False),
        ({"postinstall": "prisma generate && node x.js"}, {"prisma/schema.prisma": ""}, False),
    ],
)
def test_install_scripts_understood(
    tmp_path: Path, scripts: dict[str, str], files: dict[str, str], understood: bool
) -> None:
    make(tmp_path, {"package.json": package_json(scripts=scripts), **files})
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.install_scripts_understood() is understood


def test_local_dependencies(tmp_path: Path) -> None:
    deps = {"a": "^1.0.0", "b": "file:../b", "c": "link:./c"}
    make(tmp_path, {"package.json": package_json(dependencies=deps)})
    project = BuildContext.open(tmp_path).npm_project()
    assert project is not None
    assert project.local_dependencies == ("file:../b", "link:./c")


def test_is_executable_reads_the_owner_execute_bit(tmp_path: Path) -> None:
    (tmp_path / "run.sh").write_text("#!/bin/sh\n")
    (tmp_path / "run.sh").chmod(0o755)
    (tmp_path / "data.txt").write_text("x")
    (tmp_path / "data.txt").chmod(0o644)
    (tmp_path / "secret.sh").write_text("#!/bin/sh\n")
    (tmp_path / "secret.sh").chmod(0o755)
    (tmp_path / "dir").mkdir()
    (tmp_path / ".dockerignore").write_text("secret.sh\n")
    ctx = BuildContext.open(tmp_path)
    assert ctx.is_executable("run.sh") is True
    assert ctx.is_executable("./data.txt") is False
    assert ctx.is_executable("secret.sh") is None  # ignored: never reaches the builder
    assert ctx.is_executable("dir") is None
    assert ctx.is_executable("missing") is None
