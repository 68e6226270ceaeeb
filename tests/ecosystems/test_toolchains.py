"""The compiled languages' toolchain images, build outputs and runtime images (LW305)."""

from __future__ import annotations

import pytest

from layerwise.ecosystems import COMPILERS, cargo, dotnet, golang, gradle, maven
from layerwise.ecosystems.base import Compiler, image_tag
from layerwise.shell import Command, parse_script
from layerwise.syntax.span import MappedText


def cmd(text: str) -> Command:
    return parse_script(MappedText(text, tuple(range(len(text) + 1)))).commands[-1]


@pytest.mark.parametrize(
    ("reference", "repository", "tag"),
    [
        ("golang:1.22", "golang", "1.22"),
        ("golang", "golang", "latest"),
        ("docker.io/library/golang:1.22-alpine", "golang", "1.22-alpine"),
        ("public.ecr.aws/docker/library/golang:1.22", "golang", "1.22"),
        ("registry.example.com/golang:1.22", "golang", None),
        ("golang@sha256:abc", "golang", None),
        ("mcr.microsoft.com/dotnet/sdk:8.0", "mcr.microsoft.com/dotnet/sdk", "8.0"),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", "mcr.microsoft.com/dotnet/sdk", None),
        ("localhost:5000/golang:1", "golang", None),
    ],
)
def test_image_tag(reference: str, repository: str, tag: str | None) -> None:
    assert image_tag(reference, repository) == tag


@pytest.mark.parametrize(
    ("module", "image", "build", "runtime"),
    [
        (golang, "golang:1.22", "CGO_ENABLED=0 go build -o app .",
         "gcr.io/distroless/static-debian12"),
        (golang, "golang:1.22-bookworm", "go build -o app .", "gcr.io/distroless/base-debian12"),
        (golang, "golang:1.21-bullseye", "go build -o app .", "gcr.io/distroless/base-debian11"),
        (golang, "golang:1.22", "go build -o app .", None),
        (golang, "golang:1.22-alpine", "go build -o app .", None),
        (cargo, "rust:1.80-slim-bookworm", "cargo build --release",
         "gcr.io/distroless/cc-debian12"),
        (cargo, "rust:1.80-alpine", "cargo build --release",
         "gcr.io/distroless/static-debian12"),
        (cargo, "rust:1.80", "cargo build --release", None),
        (maven, "maven:3.9-eclipse-temurin-17", "mvn package", "eclipse-temurin:17-jre"),
        (maven, "maven:3-eclipse-temurin-21-alpine", "mvn package",
         "eclipse-temurin:21-jre-alpine"),
        (maven, "maven:3.9-amazoncorretto-17", "mvn package", None),
        (maven, "eclipse-temurin:21-jdk-jammy", "./mvnw package", "eclipse-temurin:21-jre-jammy"),
        (gradle, "gradle:8.7-jdk17", "gradle build", "eclipse-temurin:17-jre"),
        (gradle, "gradle:8-jdk21-alpine", "gradle build", "eclipse-temurin:21-jre-alpine"),
        (gradle, "gradle:8.7-jdk17-graal", "gradle build", None),
        (dotnet, "mcr.microsoft.com/dotnet/sdk:8.0", "dotnet publish",
         "mcr.microsoft.com/dotnet/aspnet:8.0"),
        (dotnet, "mcr.microsoft.com/dotnet/sdk:8.0.204-alpine", "dotnet publish",
         "mcr.microsoft.com/dotnet/aspnet:8.0-alpine"),
    ],
)  # fmt: skip
def test_runtime_image(module: Compiler, image: str, build: str, runtime: str | None) -> None:
    assert module.is_toolchain_image(image)
    assert module.runtime_image(image, cmd(build), {}) == runtime


@pytest.mark.parametrize(
    ("module", "text", "outputs"),
    [
        (golang, "go build -o bin/app ./cmd/app", ("/src/bin/app",)),
        (golang, "go build ./...", ()),
        (golang, "go install ./cmd/app", ("/root/go/bin",)),
        (golang, "GOBIN=/usr/local/bin go install ./cmd/app", ("/usr/local/bin",)),
        (golang, "go test ./...", ()),
        (cargo, "cargo build --release", ("/src/target",)),
        (cargo, "cargo build --target-dir /out", ("/out",)),
        (cargo, "cargo install --path . --root /usr/local", ("/usr/local/bin",)),
        (maven, "mvn -B package -DskipTests", ("/src/target",)),
        (maven, "mvn -f api/pom.xml install", ("/src/api/target",)),
        (maven, "mvn dependency:go-offline", ()),
        (gradle, "./gradlew :app:bootJar", ("/src/build",)),
        (gradle, "gradle test", ()),
        (dotnet, "dotnet publish -c Release -o out", ("/src/out",)),
        (dotnet, "dotnet restore", ()),
    ],
)
def test_build_outputs(module: Compiler, text: str, outputs: tuple[str, ...]) -> None:
    assert module.build_outputs(cmd(text), "/src", "/root", {}) == outputs


def test_runtime_images_are_not_toolchains() -> None:
    """The fixed file's final stage must not be taken for a toolchain image again."""
    runtimes = ["gcr.io/distroless/static-debian12", "eclipse-temurin:17-jre",
                "mcr.microsoft.com/dotnet/aspnet:8.0", "gcr.io/distroless/cc-debian12"]  # fmt: skip
    assert not [r for r in runtimes for eco in COMPILERS if eco.is_toolchain_image(r)]


@pytest.mark.parametrize(
    ("module", "text", "env", "offline"),
    [
        (cargo, "cargo build --release --offline", {}, True),
        (cargo, "cargo build --frozen --release", {}, True),
        (cargo, "cargo build --locked --release", {}, False),
        (cargo, "cargo build --release", {"CARGO_NET_OFFLINE": "true"}, True),
        (cargo, "CARGO_NET_OFFLINE=false cargo fetch", {"CARGO_NET_OFFLINE": "true"}, False),
        (cargo, "cargo run --release -- --offline", {}, False),
        (maven, "mvn -o -B package", {}, True),
        (maven, "./mvnw --offline package", {}, True),
        (maven, "mvn -B package", {}, False),
        (gradle, "./gradlew build --offline", {}, True),
        (gradle, "gradle build", {}, False),
        (golang, "GOPROXY=off go build -o app .", {}, True),
        (golang, "go build -o app .", {"GOPROXY": "off"}, True),
        (golang, "go build -o app .", {"GOPROXY": "https://proxy.golang.org,off"}, False),
        (golang, "go build -o app .", {}, False),
        (dotnet, "dotnet publish --no-restore -c Release", {}, True),
        (dotnet, "dotnet publish -c Release", {}, False),
    ],
)  # fmt: skip
def test_offline(module: Compiler, text: str, env: dict[str, str], offline: bool) -> None:
    assert module.offline(cmd(text), env) is offline
