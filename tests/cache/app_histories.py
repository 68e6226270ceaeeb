"""A history of 21 real-shaped commits for every fixture app (node-nest's: node_nest_history.py).

    python tests/cache/histories.py APP DEST

Each history has source edits (added, edited and deleted files), config edits, README edits
(sent while the app has no .dockerignore, kept out once a commit adds one), a .dockerignore
commit, a Dockerfile edit, and dependency bumps the app's installer accepts without resolving
anything new:

- npm, pnpm, yarn: a range tightened to the version the lock already holds, in the manifest
  and in the lock (the importer's `specifier` for pnpm, the entry's key for yarn classic, the
  key and the workspace entry for Yarn 4); and manifest fields the installer reads but the lock
  does not hold (`engines`), installer settings (`.yarnrc.yml`).
- Pipenv, Poetry: a range tightened to the locked version, with the lock's hash of the
  manifest (`_meta.hash.sha256`, `content-hash`) as the pinned tool computes it (2024.4.1,
  1.8.5). uv: the range in pyproject.toml and in uv.lock's `requires-dist` of the project.
- pip with a compiled requirements.txt: a pin held back a version and released again (both
  versions on PyPI), with requirements.in.
- go-replace: the version go.mod requires of the local module (`replace` makes any version the
  directory). go-api has no dependency: its go.mod edits (a comment, the `go` line lowered to a
  version the toolchain still builds) are the only manifest edits it has.

How each bump was checked on the host (pnpm 9.15.9, yarn 1.22.22 and 4.9.2, pipenv 2024.4.1,
poetry 1.8.5, uv 0.13.9 accept the lock of every commit): docs/why.md, "Checked by".
"""

from __future__ import annotations

from .histories import AppHistory, Commit, Edit, chmod, delete, replace, write
from .node_nest_history import HISTORY as NODE_NEST

GO_IGNORE = ".git\n.dockerignore\nDockerfile*\nREADME.md\n"
NODE_IGNORE = "node_modules\ndist\n.git\n.dockerignore\nDockerfile*\nREADME.md\n"
PY_IGNORE = ".git\n.dockerignore\nDockerfile*\nREADME.md\n**/__pycache__\n.venv\n"


GO_API = AppHistory(
    "go-api",
    install=None,
    dockerfile="Dockerfile",
    fixed=None,
    commits=(
        Commit(
            "src",
            "main: a /version route",
            (
                replace(
                    "main.go",
                    '\tmux.HandleFunc("/health"',
                    '\tmux.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) {\n'
                    '\t\twriteJSON(w, map[string]string{"version": "1.0.0"})\n\t})\n'
                    '\tmux.HandleFunc("/health"',
                ),
            ),
        ),
        Commit(
            "ignored",
            "test: the index route",
            (
                replace(
                    "main_test.go",
                    "func TestHealth(",
                    "func TestIndex(t *testing.T) {\n\trec := httptest.NewRecorder()\n"
                    '\tnewMux("hi").ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))\n'
                    '\tif !strings.Contains(rec.Body.String(), `"hi"`) {\n'
                    '\t\tt.Fatalf("got %q", rec.Body.String())\n\t}\n}\n\nfunc TestHealth(',
                ),
            ),
        ),
        Commit(
            "ignored",
            "readme: run it locally",
            (replace("README.md", "Build: ", "Run locally: `go run .`.\n\nBuild: "),),
        ),
        Commit(
            "src",
            "main: log the greeting at start",
            (
                replace(
                    "main.go",
                    'log.Printf("listening on %s", addr)',
                    'log.Printf("listening on %s (%q)", addr, greeting())',
                ),
            ),
        ),
        Commit(
            "ignored",
            "config: defaults.json, not yet used",
            (write("defaults.json", '{\n  "greeting": "hello from layerwise go-api"\n}\n'),),
        ),
        Commit(
            "dockerfile",
            "dockerfile: copy defaults.json, which main.go embeds",
            (
                replace(
                    "Dockerfile", "COPY go.mod ./\n", "COPY go.mod ./\nCOPY defaults.json ./\n"
                ),
                replace(
                    "main.go",
                    'import (\n\t"encoding/json"',
                    'import (\n\t_ "embed"\n\t"encoding/json"',
                ),
                replace(
                    "main.go",
                    'func greeting() string {\n\tif g := os.Getenv("GREETING"); g != "" {\n'
                    "\t\treturn g\n\t}\n",
                    "//go:embed defaults.json\nvar defaults []byte\n\n"
                    'func greeting() string {\n\tif g := os.Getenv("GREETING"); g != "" {\n'
                    "\t\treturn g\n\t}\n"
                    "\tvar d struct{ Greeting string }\n"
                    '\tif json.Unmarshal(defaults, &d) == nil && d.Greeting != "" {\n'
                    "\t\treturn d.Greeting\n\t}\n",
                ),
            ),
        ),
        Commit(
            "config",
            "config: a friendlier default greeting",
            (replace("defaults.json", "hello from layerwise go-api", "hi from go-api"),),
        ),
        Commit(
            "src",
            "main: responses are not cached",
            (
                replace(
                    "main.go",
                    'w.Header().Set("Content-Type", "application/json")',
                    'w.Header().Set("Content-Type", "application/json")\n'
                    '\tw.Header().Set("Cache-Control", "no-store")',
                ),
            ),
        ),
        Commit(
            "dep",
            "go.mod: say why there is no require",
            (
                replace(
                    "go.mod",
                    "go 1.19\n",
                    "go 1.19\n\n// Standard library only: the module proxy is out of reach.\n",
                ),
            ),
        ),
        Commit(
            "dockerignore",
            "dockerignore: send the tests (go vet in the image reads them)",
            (replace(".dockerignore", "*_test.go\n", ""),),
        ),
        Commit(
            "src",
            "test: health is JSON",
            (
                replace(
                    "main_test.go",
                    '!strings.Contains(rec.Body.String(), `"ok"`)',
                    '!strings.Contains(rec.Body.String(), `"ok"`) ||\n'
                    '\t\trec.Header().Get("Content-Type") != "application/json"',
                ),
            ),
        ),
        Commit(
            "src",
            "health: a handler of its own",
            (
                write(
                    "health.go",
                    'package main\n\nimport "net/http"\n\n'
                    "func health(w http.ResponseWriter, r *http.Request) {\n"
                    '\twriteJSON(w, map[string]string{"status": "ok"})\n}\n',
                ),
            ),
        ),
        Commit(
            "config",
            "config: greeting for the demo",
            (replace("defaults.json", "hi from go-api", "hi from the go-api demo"),),
        ),
        Commit(
            "src",
            "main: PORT when ADDR is unset",
            (
                replace(
                    "main.go",
                    'if addr == "" {\n\t\taddr = ":8080"\n\t}',
                    'if addr == "" && os.Getenv("PORT") != "" {\n'
                    '\t\taddr = ":" + os.Getenv("PORT")\n'
                    '\t}\n\tif addr == "" {\n\t\taddr = ":8080"\n\t}',
                ),
            ),
        ),
        Commit(
            "ignored",
            "readme: routes",
            (
                replace(
                    "README.md",
                    "Run locally: ",
                    "Routes: `/`, `/health`, `/version`.\n\nRun locally: ",
                ),
            ),
        ),
        Commit(
            "src",
            "main: /health uses the health handler",
            (
                replace(
                    "main.go",
                    '\tmux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {\n'
                    '\t\twriteJSON(w, map[string]string{"status": "ok"})\n\t})\n',
                    '\tmux.HandleFunc("/health", health)\n',
                ),
            ),
        ),
        Commit(
            "dep",
            "go.mod: go 1.18, the oldest toolchain we build with",
            (replace("go.mod", "go 1.19\n", "go 1.18\n"),),
        ),
        Commit(
            "src",
            "health: back into main.go",
            (
                delete("health.go"),
                replace(
                    "main.go",
                    '\tmux.HandleFunc("/health", health)\n',
                    '\tmux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {\n'
                    '\t\twriteJSON(w, map[string]string{"status": "ok"})\n\t})\n',
                ),
            ),
        ),
        Commit(
            "config",
            "config: greeting punctuation",
            (replace("defaults.json", "hi from the go-api demo", "hi from the go-api demo!"),),
        ),
        Commit(
            "src",
            "main: version 1.1.0",
            (replace("main.go", '"version": "1.0.0"', '"version": "1.1.0"'),),
        ),
        Commit(
            "src",
            "main: log write errors with the status",
            (
                replace(
                    "main.go", 'log.Printf("write: %v", err)', 'log.Printf("write json: %v", err)'
                ),
            ),
        ),
    ),
)

GO_REPLACE = AppHistory(
    "go-replace",
    install="go mod download",
    commits=(
        Commit(
            "src",
            "greet: say hi",
            (
                replace("greet/greet.go", '"Hello, %s!"', '"Hi, %s!"'),
                replace("greet/greet_test.go", '"Hello, world!"', '"Hi, world!"'),
                replace("greet/greet_test.go", '"Hello, go!"', '"Hi, go!"'),
            ),
        ),
        Commit(
            "docs",
            "readme: run it locally",
            (
                replace(
                    "README.md",
                    "Base `golang:1.19`",
                    "Run locally: `go run ./cmd/server`.\n\nBase `golang:1.19`",
                ),
            ),
        ),
        Commit(
            "dockerignore",
            "dockerignore: send the sources only",
            (write(".dockerignore", GO_IGNORE),),
        ),
        Commit(
            "dep",
            "go.mod: greet v0.1.0",
            (replace("go.mod", "example.com/greet v0.0.0", "example.com/greet v0.1.0"),),
        ),
        Commit(
            "src",
            "server: a /version route",
            (
                replace(
                    "cmd/server/main.go",
                    '\thttp.HandleFunc("/health"',
                    '\thttp.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) {\n'
                    '\t\twriteJSON(w, map[string]string{"version": "1.0.0"})\n\t})\n'
                    '\thttp.HandleFunc("/health"',
                ),
            ),
        ),
        Commit(
            "config",
            "config: an example environment",
            (write(".env.example", "PORT=8080\n"),),
        ),
        Commit(
            "ignored",
            "readme: routes",
            (
                replace(
                    "README.md",
                    "Run locally: ",
                    "Routes: `/`, `/health`, `/version`.\n\nRun locally: ",
                ),
            ),
        ),
        Commit(
            "dockerfile",
            "dockerfile: reproducible paths in the binary",
            (replace("Dockerfile", "go build -o", "go build -trimpath -o"),),
        ),
        Commit(
            "src",
            "greet: trim the name",
            (
                replace("greet/greet.go", 'import "fmt"', 'import (\n\t"fmt"\n\t"strings"\n)'),
                replace(
                    "greet/greet.go",
                    '\tif name == "" {',
                    '\tname = strings.TrimSpace(name)\n\tif name == "" {',
                ),
            ),
        ),
        Commit(
            "dep",
            "greet: Goodbye, tagged v0.2.0",
            (
                replace(
                    "greet/greet.go",
                    "// Hello greets",
                    "// Goodbye sees name off.\nfunc Goodbye(name string) string {\n"
                    '\treturn fmt.Sprintf("Goodbye, %s!", name)\n}\n\n// Hello greets',
                ),
                replace("go.mod", "example.com/greet v0.1.0", "example.com/greet v0.2.0"),
            ),
        ),
        Commit(
            "src",
            "server: a /bye route",
            (
                replace(
                    "cmd/server/main.go",
                    '\thttp.HandleFunc("/health"',
                    '\thttp.HandleFunc("/bye", func(w http.ResponseWriter, r *http.Request) {\n'
                    '\t\tname := r.URL.Query().Get("name")\n'
                    '\t\twriteJSON(w, map[string]string{"message": greet.Goodbye(name)})\n'
                    ""
                    "\t})\n"
                    '\thttp.HandleFunc("/health"',
                ),
            ),
        ),
        Commit(
            "config",
            "config: the example's port",
            (replace(".env.example", "PORT=8080", "PORT=8081"),),
        ),
        Commit(
            "src",
            "server: health in a file of its own",
            (
                write(
                    "cmd/server/health.go",
                    'package main\n\nimport "net/http"\n\n'
                    "func health(w http.ResponseWriter, r *http.Request) {\n"
                    '\twriteJSON(w, map[string]string{"status": "ok"})\n}\n',
                ),
                replace(
                    "cmd/server/main.go",
                    '\thttp.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {\n'
                    '\t\twriteJSON(w, map[string]string{"status": "ok"})\n\t})\n',
                    '\thttp.HandleFunc("/health", health)\n',
                ),
            ),
        ),
        Commit(
            "src",
            "greet: test Goodbye",
            (
                replace(
                    "greet/greet_test.go",
                    "func TestHello(",
                    "func TestGoodbye(t *testing.T) {\n"
                    '\tif got := Goodbye("go"); got != "Goodbye, go!" {\n'
                    '\t\tt.Fatalf("Goodbye(\\"go\\") = %q", got)\n\t}\n}\n\nfunc TestHello(',
                ),
            ),
        ),
        Commit(
            "ignored",
            "readme: the /bye route",
            (replace("README.md", "Routes: `/`,", "Routes: `/`, `/bye`,"),),
        ),
        Commit(
            "src",
            "server: log the port with the version",
            (
                replace(
                    "cmd/server/main.go",
                    '"go-replace listening on %s"',
                    '"go-replace 1.0.0 listening on %s"',
                ),
            ),
        ),
        Commit(
            "dep",
            "go.mod: go 1.18, the oldest toolchain we build with",
            (replace("go.mod", "go 1.19\n", "go 1.18\n"),),
        ),
        Commit(
            "src",
            "server: health back in main.go",
            (
                delete("cmd/server/health.go"),
                replace(
                    "cmd/server/main.go",
                    '\thttp.HandleFunc("/health", health)\n',
                    '\thttp.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {\n'
                    '\t\twriteJSON(w, map[string]string{"status": "ok"})\n\t})\n',
                ),
            ),
        ),
        Commit(
            "config",
            "config: the example names the greeting",
            (replace(".env.example", "PORT=8081\n", "PORT=8081\nNAME=world\n"),),
        ),
        Commit(
            "src",
            "server: version 1.1.0",
            (replace("cmd/server/main.go", '"version": "1.0.0"', '"version": "1.1.0"'),),
        ),
        Commit(
            "src",
            "scripts: a smoke test",
            (
                write(
                    "scripts/smoke.sh", "#!/bin/sh\nexec curl -fsS localhost:8080/health\n", 0o755
                ),
            ),
        ),
    ),
)


def assemble(
    src: tuple[Commit, ...],
    config: tuple[Commit, ...],
    dep: tuple[Commit, ...],
    *,
    readme: tuple[Commit, Commit],
    dockerignore: Commit,
    dockerfile: Commit,
) -> tuple[Commit, ...]:
    """The order every history below follows (src, config and dep have 10, 3 and 3 commits):
    the first README edit, .dockerignore and the Dockerfile edit early, so that later commits
    are built with the Dockerfile and .dockerignore they changed."""
    assert (len(src), len(config), len(dep)) == (10, 3, 3)
    return (
        src[0],
        readme[0],
        dockerignore,
        dep[0],
        src[1],
        config[0],
        readme[1],
        dockerfile,
        src[2],
        dep[1],
        config[1],
        src[3],
        src[4],
        dep[2],
        src[5],
        config[2],
        src[6],
        src[7],
        src[8],
        src[9],
    )


def readmes(anchor: str, command: str, ignored_first: bool) -> tuple[Commit, Commit]:
    """Two README edits: the first sent until a .dockerignore keeps README.md out."""
    return (
        Commit(
            "ignored" if ignored_first else "docs",
            "readme: run it locally",
            (replace("README.md", anchor, f"Run locally: `{command}`.\n\n{anchor}"),),
        ),
        Commit(
            "ignored",
            "readme: routes",
            (
                replace(
                    "README.md",
                    "Run locally: ",
                    "Routes: `/`, `/health`, `/version`.\n\nRun locally: ",
                ),
            ),
        ),
    )


def editorconfig() -> tuple[Commit, Commit, Commit]:
    return (
        Commit(
            "config",
            "editorconfig: two spaces",
            (write(".editorconfig", "root = true\n\n[*]\nindent_size = 2\n"),),
        ),
        Commit(
            "config",
            "editorconfig: final newlines",
            (replace(".editorconfig", "[*]\n", "[*]\ninsert_final_newline = true\n"),),
        ),
        Commit(
            "config",
            "editorconfig: four spaces in Python",
            (
                replace(
                    ".editorconfig",
                    "indent_size = 2\n",
                    "indent_size = 2\n\n[*.py]\nindent_size = 4\n",
                ),
            ),
        ),
    )


def scripts(command: str, kind: str = "src") -> tuple[Commit, Commit]:
    """A start script, then its executable bit (`ignored` where no COPY sends scripts/)."""
    return (
        Commit(
            kind,
            "scripts: a start script",
            (write("scripts/start.sh", f"#!/bin/sh\nexec {command}\n"),),
        ),
        Commit(kind, "scripts: make start.sh executable", (chmod("scripts/start.sh", 0o755),)),
    )


def engines() -> Commit:
    return Commit(
        "dep",
        "package.json: engines node >=20",
        (
            replace(
                "package.json",
                '"private": true,',
                '"private": true,\n  "engines": {\n    "node": ">=20"\n  },',
            ),
        ),
    )


def npm_global(package: str) -> Commit:
    return Commit(
        "dockerfile",
        "dockerfile: quieter global install",
        (
            replace(
                "Dockerfile",
                f"RUN npm install -g {package}",
                f"RUN npm install -g --no-fund --no-audit {package}",
            ),
        ),
    )


NODE_PNPM = AppHistory(
    "node-pnpm",
    install="pnpm install",
    commits=assemble(
        (
            Commit(
                "src",
                "greeting: a friendlier default",
                (replace("src/greeting.ts", "'pnpm'", "'pnpm friend'"),),
            ),
            Commit(
                "src",
                "server: a /version route",
                (
                    replace(
                        "src/server.ts",
                        "router.get('/health'",
                        "router.get('/version', (ctx) => {\n"
                        "  ctx.body = { version: '1.0.0' };\n});\nrouter.get('/health'",
                    ),
                ),
            ),
            Commit(
                "src",
                "greeting: trim the name",
                (replace("src/greeting.ts", "name ? name :", "name ? name.trim() :"),),
            ),
            Commit(
                "src",
                "health: a module of its own",
                (
                    write(
                        "src/health.ts",
                        "export const health = (): { status: string } => ({ status: 'ok' });\n",
                    ),
                ),
            ),
            Commit(
                "src",
                "server: /health uses health()",
                (
                    replace(
                        "src/server.ts",
                        "import { greeting } from './greeting';",
                        "import { greeting } from './greeting';\n"
                        "import { health } from './health';",
                    ),
                    replace(
                        "src/server.ts", "ctx.body = { status: 'ok' };", "ctx.body = health();"
                    ),
                ),
            ),
            Commit(
                "src",
                "server: log the port",
                (
                    replace(
                        "src/server.ts",
                        "node-pnpm listening on ${port}",
                        "node-pnpm listening on port ${port}",
                    ),
                ),
            ),
            Commit(
                "src",
                "health: back into server.ts",
                (
                    delete("src/health.ts"),
                    replace(
                        "src/server.ts",
                        "import { greeting } from './greeting';\n"
                        "import { health } from './health';",
                        "import { greeting } from './greeting';",
                    ),
                    replace(
                        "src/server.ts", "ctx.body = health();", "ctx.body = { status: 'ok' };"
                    ),
                ),
            ),
            *scripts("node dist/server.js"),
            Commit(
                "src",
                "server: version 1.1.0",
                (replace("src/server.ts", "version: '1.0.0'", "version: '1.1.0'"),),
            ),
        ),
        (
            Commit(
                "config",
                "tsconfig: no comments in dist",
                (
                    replace(
                        "tsconfig.json",
                        '"strict": true,',
                        '"strict": true,\n    "removeComments": true,',
                    ),
                ),
            ),
            Commit(
                "config",
                "tsconfig: target ES2023",
                (replace("tsconfig.json", '"target": "ES2022"', '"target": "ES2023"'),),
            ),
            Commit(
                "config",
                "gitignore: dist",
                (replace(".gitignore", ".pnpm-store/\n", ".pnpm-store/\ndist/\n"),),
            ),
        ),
        (
            Commit(
                "dep",
                "deps: koa ^2.16.4",
                (
                    replace("package.json", '"koa": "^2.15.3"', '"koa": "^2.16.4"'),
                    replace("pnpm-lock.yaml", "specifier: ^2.15.3", "specifier: ^2.16.4"),
                ),
            ),
            Commit(
                "dep",
                "deps: @types/node ^20.19.43",
                (
                    replace(
                        "package.json", '"@types/node": "^20.17.0"', '"@types/node": "^20.19.43"'
                    ),
                    replace("pnpm-lock.yaml", "specifier: ^20.17.0", "specifier: ^20.19.43"),
                ),
            ),
            engines(),
        ),
        readme=readmes(
            "tests/bench/test_fixture_apps.py builds both", "pnpm install && pnpm start", False
        ),
        dockerignore=Commit(
            "dockerignore",
            "dockerignore: keep installs and notes out",
            (write(".dockerignore", NODE_IGNORE),),
        ),
        dockerfile=npm_global("pnpm@9.15.9"),
    ),
)


def yarn_src(app: str, default: str, server: list[tuple[str, str]]) -> tuple[Commit, ...]:
    """The source edits both yarn apps share (plain JS: src/server.js, src/greeting.js);
    `server` holds the app's (old, new) for: a /version route, /health from health(), and
    a logging change."""
    route, use_health, logging = server
    return (
        Commit(
            "src",
            "greeting: a friendlier default",
            (replace("src/greeting.js", f"'{default}'", f"'{default} friend'"),),
        ),
        Commit("src", "server: a /version route", (replace("src/server.js", *route),)),
        Commit(
            "src",
            "greeting: trim the name",
            (replace("src/greeting.js", "${name ||", "${(name || '').trim() ||"),),
        ),
        Commit(
            "src",
            "health: a module of its own",
            (
                write(
                    "src/health.js",
                    "'use strict';\n\nmodule.exports = { health: () => ({ status: 'ok' }) };\n",
                ),
            ),
        ),
        Commit(
            "src",
            "server: /health uses health()",
            (
                replace(
                    "src/server.js",
                    "const { greeting } = require('./greeting');",
                    "const { greeting } = require('./greeting');\n"
                    "const { health } = require('./health');",
                ),
                replace("src/server.js", *use_health),
            ),
        ),
        Commit("src", "server: log more", (replace("src/server.js", *logging),)),
        Commit(
            "src",
            "health: back into server.js",
            (
                delete("src/health.js"),
                replace(
                    "src/server.js",
                    "const { greeting } = require('./greeting');\n"
                    "const { health } = require('./health');",
                    "const { greeting } = require('./greeting');",
                ),
                replace("src/server.js", use_health[1], use_health[0]),
            ),
        ),
        *scripts("node src/server.js"),
        Commit(
            "src",
            "server: version 1.1.0",
            (replace("src/server.js", "version: '1.0.0'", "version: '1.1.0'"),),
        ),
    )


NODE_YARN = AppHistory(
    "node-yarn",
    install="yarn install",
    commits=assemble(
        yarn_src(
            "node-yarn",
            "yarn",
            [
                (
                    "app.get('/health'",
                    "app.get('/version', (req, res) => res.json({ version: '1.0.0' }));\n"
                    "app.get('/health'",
                ),
                ("res.json({ status: 'ok' })", "res.json(health())"),
                ("morgan('tiny')", "morgan('combined')"),
            ],
        ),
        (
            Commit(
                "config",
                "yarnrc: a longer network timeout",
                (write(".yarnrc", "network-timeout 600000\n"),),
            ),
            *editorconfig()[:2],
        ),
        (
            Commit(
                "dep",
                "deps: express ^4.22.3",
                (
                    replace("package.json", '"express": "^4.21.2"', '"express": "^4.22.3"'),
                    replace("yarn.lock", "\nexpress@^4.21.2:\n", "\nexpress@^4.22.3:\n"),
                ),
            ),
            Commit(
                "dep",
                "deps: morgan ^1.12.1",
                (
                    replace("package.json", '"morgan": "^1.10.0"', '"morgan": "^1.12.1"'),
                    replace("yarn.lock", "\nmorgan@^1.10.0:\n", "\nmorgan@^1.12.1:\n"),
                ),
            ),
            engines(),
        ),
        readme=readmes(
            "tests/bench/test_fixture_apps.py builds both", "yarn install && yarn start", False
        ),
        dockerignore=Commit(
            "dockerignore",
            "dockerignore: keep installs and notes out",
            (write(".dockerignore", NODE_IGNORE),),
        ),
        dockerfile=npm_global("yarn@1.22.22"),
    ),
)

NODE_YARN_BERRY = AppHistory(
    "node-yarn-berry",
    install="yarn install",
    commits=assemble(
        yarn_src(
            "node-yarn-berry",
            "berry",
            [
                (
                    "fastify.get('/health'",
                    "fastify.get('/version', async () => ({ version: '1.0.0' }));\n"
                    "fastify.get('/health'",
                ),
                ("async () => ({ status: 'ok' })", "async () => health()"),
                ("{ logger: true }", "{ logger: { level: 'info' } }"),
            ],
        ),
        editorconfig(),
        (
            Commit(
                "dep",
                "deps: fastify ^5.12.8",
                (
                    replace("package.json", '"fastify": "^5.2.1"', '"fastify": "^5.12.8"'),
                    replace("yarn.lock", '"fastify@npm:^5.2.1":', '"fastify@npm:^5.12.8":'),
                    replace("yarn.lock", 'fastify: "npm:^5.2.1"', 'fastify: "npm:^5.12.8"'),
                ),
            ),
            Commit(
                "dep",
                "yarnrc: telemetry off",
                (
                    replace(
                        ".yarnrc.yml",
                        "nodeLinker: node-modules\n",
                        "enableTelemetry: false\n\nnodeLinker: node-modules\n",
                    ),
                ),
            ),
            engines(),
        ),
        readme=readmes(
            "tests/bench/test_fixture_apps.py builds both", "yarn install && yarn start", False
        ),
        dockerignore=Commit(
            "dockerignore",
            "dockerignore: keep installs and notes out",
            (write(".dockerignore", NODE_IGNORE),),
        ),
        dockerfile=npm_global("yarn@1.22.22"),
    ),
)


def python_src(
    package: str,
    default: str,
    version_route: tuple[str, str],
    use_health: list[tuple[str, str]],
    command: str,
) -> tuple[Commit, ...]:
    """The source edits the Python apps share: `package` holds greeting.py-like code and the
    routes module (`version_route` and `use_health` are its (old, new) edits)."""
    routes = f"{package}/{'app' if package == 'notes' else 'main'}.py"
    return (
        Commit(
            "src",
            "greeting: a friendlier default",
            (replace(f"{package}/greeting.py", f"'{default}'", f"'{default} friend'"),),
        ),
        Commit("src", "routes: /version", (replace(routes, *version_route),)),
        Commit(
            "src",
            "greeting: strip the name",
            (replace(f"{package}/greeting.py", "{name or", "{(name or '').strip() or"),),
        ),
        Commit(
            "src",
            "health: a module of its own",
            (
                write(
                    f"{package}/health.py",
                    'def health() -> dict[str, str]:\n    return {"status": "ok"}\n',
                ),
            ),
        ),
        Commit(
            "src",
            "routes: /health uses health()",
            tuple(replace(routes, *edit) for edit in use_health),
        ),
        Commit(
            "src",
            "package: a longer docstring",
            (replace(f"{package}/__init__.py", '."""', '.\n\nRoutes: /, /health, /version."""'),),
        ),
        Commit(
            "src",
            "health: back into the routes",
            (
                delete(f"{package}/health.py"),
                *(replace(routes, new, old) for old, new in use_health),
            ),
        ),
        *scripts(command),
        Commit("src", "routes: version 1.1.0", (replace(routes, '"1.0.0"', '"1.1.0"'),)),
    )


def hashed(path: str, key: str, old: str, new: str) -> Edit:
    return replace(path, f'{key}{old}"', f'{key}{new}"')


PIPFILE_HASH = '"sha256": "'
PYTHON_PIPENV = AppHistory(
    "python-pipenv",
    install="pipenv install",
    commits=assemble(
        python_src(
            "notes",
            "pipenv",
            (
                "app = falcon.App()",
                "class Version:\n"
                "    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:\n"
                '        resp.media = {"version": "1.0.0"}\n\n\napp = falcon.App()',
            ),
            [
                (
                    "from notes.greeting import greeting",
                    "from notes.greeting import greeting\nfrom notes.health import health",
                ),
                ('resp.media = {"status": "ok"}', "resp.media = health()"),
            ],
            "waitress-serve --listen=0.0.0.0:8080 notes.app:app",
        ),
        editorconfig(),
        (
            Commit(
                "dep",
                "deps: falcon ~=4.4",
                (
                    replace("Pipfile", 'falcon = "~=4.0"', 'falcon = "~=4.4"'),
                    hashed(
                        "Pipfile.lock",
                        PIPFILE_HASH,
                        "7d6380d7ae2f7ac4089365cc0c98b57fbe37278811e67808a1ca1b6203c0bcf9",
                        "18c11caef65aaf17dd529879c27ff3cebd917d7f5b811ed69d4a211b6e6072e2",
                    ),
                ),
            ),
            Commit(
                "dep",
                "deps: pytest >=9.2",
                (
                    replace("Pipfile", 'pytest = "*"', 'pytest = ">=9.2"'),
                    hashed(
                        "Pipfile.lock",
                        PIPFILE_HASH,
                        "18c11caef65aaf17dd529879c27ff3cebd917d7f5b811ed69d4a211b6e6072e2",
                        "ecb250c24cc184395fe6a3de5792201dcb2a940f772b35ff92d987eece87fd51",
                    ),
                ),
            ),
            Commit(
                "dep",
                "deps: waitress ~=3.0.2",
                (
                    replace("Pipfile", 'waitress = "~=3.0"', 'waitress = "~=3.0.2"'),
                    hashed(
                        "Pipfile.lock",
                        PIPFILE_HASH,
                        "ecb250c24cc184395fe6a3de5792201dcb2a940f772b35ff92d987eece87fd51",
                        "af8557c5f695b2d140e45557cbc1ab2c766fa2b6c0ad2fceb03d5c7c01f043b9",
                    ),
                ),
            ),
        ),
        readme=readmes(
            "tests/bench/test_fixture_apps.py builds both",
            "pipenv run waitress-serve notes.app:app",
            False,
        ),
        dockerignore=Commit(
            "dockerignore",
            "dockerignore: keep caches and notes out",
            (write(".dockerignore", PY_IGNORE),),
        ),
        dockerfile=Commit(
            "dockerfile",
            "dockerfile: no pip cache in the layer",
            (
                replace(
                    "Dockerfile",
                    "RUN pip install pipenv==",
                    "RUN pip install --no-cache-dir pipenv==",
                ),
            ),
        ),
    ),
)

CONTENT_HASH = 'content-hash = "'
PYTHON_POETRY = AppHistory(
    "python-poetry",
    install="poetry install",
    commits=assemble(
        python_src(
            "shop",
            "poetry",
            (
                '@app.get("/health")',
                '@app.get("/version")\ndef version():\n'
                '    return jsonify(version="1.0.0")\n\n\n@app.get("/health")',
            ),
            [
                (
                    "from shop.greeting import greeting",
                    "from shop.greeting import greeting\nfrom shop.health import health as status",
                ),
                ('return jsonify(status="ok")', "return jsonify(status())"),
            ],
            "gunicorn --bind 0.0.0.0:8000 shop.main:app",
        ),
        editorconfig(),
        (
            Commit(
                "dep",
                "deps: flask ^3.1.3",
                (
                    replace("pyproject.toml", 'flask = "^3.1"', 'flask = "^3.1.3"'),
                    hashed(
                        "poetry.lock",
                        CONTENT_HASH,
                        "c30cf2e5e882f5a4cdb6e25ded535b75cb10626e1da6ae4c222eaf506697cd83",
                        "0187c2534128aed33fe3af1d23e3a2b9c20ed963ad884425ecfd21e534b55a4c",
                    ),
                ),
            ),
            Commit(
                "dep",
                "deps: pytest ^8.4",
                (
                    replace("pyproject.toml", 'pytest = "^8.3"', 'pytest = "^8.4"'),
                    hashed(
                        "poetry.lock",
                        CONTENT_HASH,
                        "0187c2534128aed33fe3af1d23e3a2b9c20ed963ad884425ecfd21e534b55a4c",
                        "53477c547199c44d3e4756aaa2ae890e3ea60f6f889ed78eb72e7565171ae64a",
                    ),
                ),
            ),
            Commit(
                "dep",
                "deps: gunicorn ^23.0.0",
                (
                    replace("pyproject.toml", 'gunicorn = "^23.0"', 'gunicorn = "^23.0.0"'),
                    hashed(
                        "poetry.lock",
                        CONTENT_HASH,
                        "53477c547199c44d3e4756aaa2ae890e3ea60f6f889ed78eb72e7565171ae64a",
                        "b196543af3dddcc40060ce3e2a3b39086594e3655a1217df493e99b55db5c5bc",
                    ),
                ),
            ),
        ),
        readme=readmes(
            "tests/bench/test_fixture_apps.py builds both",
            "poetry run gunicorn shop.main:app",
            False,
        ),
        dockerignore=Commit(
            "dockerignore",
            "dockerignore: keep caches and notes out",
            (write(".dockerignore", PY_IGNORE),),
        ),
        dockerfile=Commit(
            "dockerfile",
            "dockerfile: no pip cache in the layer",
            (
                replace(
                    "Dockerfile",
                    "RUN pip install poetry==",
                    "RUN pip install --no-cache-dir poetry==",
                ),
            ),
        ),
    ),
)


def smoke_test(package: str) -> Commit:
    return Commit(
        "src",
        "tests: a smoke test next to the app",
        (
            write(
                f"{package}/test_main.py",
                "def test_imports() -> None:\n    import importlib\n\n"
                "    importlib.import_module(__package__ or 'main')\n",
            ),
        ),
    )


def json_config(path: str) -> tuple[Commit, Commit, Commit]:
    return (
        Commit("config", "config: defaults.json", (write(path, '{\n  "greeting": "hello"\n}\n'),)),
        Commit("config", "config: a friendlier default", (replace(path, '"hello"', '"hi there"'),)),
        Commit(
            "config",
            "config: a log level",
            (replace(path, '"hi there"\n', '"hi there",\n  "log_level": "info"\n'),),
        ),
    )


def env_routes(package: str, default: str, health_body: tuple[str, str]) -> tuple[Commit, ...]:
    """Edits of an app whose routes module greets from $GREETING (python-uv, python-web)."""
    main = f"{package}/main.py"
    return (
        Commit(
            "src",
            "routes: /version",
            (
                replace(
                    main,
                    '@app.get("/health")',
                    '@app.get("/version")\ndef version() -> dict[str, str]:\n'
                    '    return {"version": "1.0.0"}\n\n\n@app.get("/health")',
                ),
            ),
        ),
        Commit(
            "src",
            "routes: a shorter default greeting",
            (replace(main, f'"hello from layerwise {default}"', f'"hello from {default}"'),),
        ),
        Commit(
            "src",
            "health: a module of its own",
            (
                write(
                    f"{package}/health.py",
                    'def health() -> dict[str, str]:\n    return {"status": "ok"}\n',
                ),
            ),
        ),
        Commit(
            "src",
            "routes: /health uses health()",
            (
                replace(main, "import os\n", "import os\n\nfrom .health import health as status\n"),
                replace(main, *health_body),
            ),
        ),
        Commit(
            "src",
            "package: a longer docstring",
            (replace(f"{package}/__init__.py", '."""', '.\n\nRoutes: /, /health, /version."""'),),
        ),
        Commit(
            "src",
            "health: back into main.py",
            (
                delete(f"{package}/health.py"),
                replace(main, "import os\n\nfrom .health import health as status\n", "import os\n"),
                replace(main, health_body[1], health_body[0]),
            ),
        ),
        # scripts/ is outside what the image copies (pyproject.toml, uv.lock, src/; app/).
        *scripts(
            "uvicorn webapp.main:app" if package.endswith("webapp") else "gunicorn app.main:app",
            "ignored",
        ),
        Commit("src", "routes: version 1.1.0", (replace(main, '"1.0.0"', '"1.1.0"'),)),
    )


TESTS_OUT = Commit(
    "dockerignore",
    "dockerignore: keep tests out of the image",
    (replace(".dockerignore", ".pytest_cache\n", ".pytest_cache\n**/test_*.py\n"),),
)

PYTHON_UV = AppHistory(
    "python-uv",
    install="--no-install-project",
    dockerfile="Dockerfile",
    fixed=None,
    commits=assemble(
        (
            smoke_test("src/webapp"),
            *env_routes("src/webapp", "python-uv", ('return {"status": "ok"}', "return status()")),
        ),
        json_config("src/webapp/defaults.json"),
        (
            Commit(
                "dep",
                "deps: fastapi >=0.165",
                (
                    replace("pyproject.toml", '"fastapi>=0.110"', '"fastapi>=0.165"'),
                    replace(
                        "uv.lock",
                        '{ name = "fastapi", specifier = ">=0.110" }',
                        '{ name = "fastapi", specifier = ">=0.165" }',
                    ),
                ),
            ),
            Commit(
                "dep",
                "deps: uvicorn >=0.54",
                (
                    replace("pyproject.toml", '"uvicorn>=0.29"', '"uvicorn>=0.54"'),
                    replace(
                        "uv.lock",
                        '{ name = "uvicorn", specifier = ">=0.29" }',
                        '{ name = "uvicorn", specifier = ">=0.54" }',
                    ),
                ),
            ),
            Commit(
                "dep",
                "pyproject: uv compiles bytecode",
                (
                    replace(
                        "pyproject.toml",
                        "[tool.hatch.build.targets.wheel]",
                        "[tool.uv]\ncompile-bytecode = true\n\n[tool.hatch.build.targets.wheel]",
                    ),
                ),
            ),
        ),
        readme=readmes("Build: ", "uv run uvicorn webapp.main:app", True),
        dockerignore=TESTS_OUT,
        dockerfile=Commit(
            "dockerfile",
            "dockerfile: no pip version check",
            (
                replace(
                    "Dockerfile", "pip install uv==", "pip install --disable-pip-version-check uv=="
                ),
            ),
        ),
    ),
)

WERKZEUG = (
    "werkzeug==3.1.9\n    # via flask\n",
    "werkzeug==3.1.8\n    # via\n    #   -r requirements.in\n    #   flask\n",
)
CLICK = (
    "click==8.5.1\n    # via flask\n",
    "click==8.5.0\n    # via\n    #   -r requirements.in\n    #   flask\n",
)
PYTHON_WEB = AppHistory(
    "python-web",
    install="pip install -r",
    dockerfile="Dockerfile",
    fixed=None,
    commits=assemble(
        (
            smoke_test("app"),
            *env_routes(
                "app", "python-web", ('return jsonify(status="ok")', "return jsonify(status())")
            ),
        ),
        json_config("app/defaults.json"),
        (
            Commit(
                "dep",
                "deps: hold werkzeug at 3.1.8",
                (
                    replace("requirements.in", "gunicorn>=22\n", "gunicorn>=22\nwerkzeug<3.1.9\n"),
                    replace("requirements.txt", *WERKZEUG),
                ),
            ),
            Commit(
                "dep",
                "deps: werkzeug 3.1.9 again",
                (
                    replace("requirements.in", "werkzeug<3.1.9\n", ""),
                    replace("requirements.txt", WERKZEUG[1], WERKZEUG[0]),
                ),
            ),
            Commit(
                "dep",
                "deps: hold click at 8.5.0",
                (
                    replace("requirements.in", "gunicorn>=22\n", "click<8.5.1\ngunicorn>=22\n"),
                    replace("requirements.txt", *CLICK),
                ),
            ),
        ),
        readme=readmes("Build: ", "flask --app app.main run", True),
        dockerignore=TESTS_OUT,
        dockerfile=Commit(
            "dockerfile",
            "dockerfile: no pip version check",
            (
                replace(
                    "Dockerfile",
                    "    PYTHONUNBUFFERED=1\n",
                    "    PYTHONUNBUFFERED=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1\n",
                ),
            ),
        ),
    ),
)

HISTORIES: dict[str, AppHistory] = {
    h.app: h
    for h in (
        NODE_NEST,
        GO_API,
        GO_REPLACE,
        NODE_PNPM,
        NODE_YARN,
        NODE_YARN_BERRY,
        PYTHON_PIPENV,
        PYTHON_POETRY,
        PYTHON_UV,
        PYTHON_WEB,
    )
}
