"""The pipeline readers: what they take out of each format, and where it is in the file."""

from __future__ import annotations

from layerwise.ci import Agent, parse_pipeline


def _span_text(text: str, value: object) -> str:
    span = value.span  # type: ignore[attr-defined]
    return text[span.start : span.end]


def test_jenkins_sh_forms_escapes_and_groovy_interpolation() -> None:
    text = (
        "node('built-in') {\n"
        "    // sh 'docker build --no-cache .'\n"
        '    sh(script: """docker buildx build -t \\${REPO}:${env.TAG} --cache-from a \\\\\n'
        '        --cache-to b .""", returnStdout: true)\n'
        "    sh label: 'build', script: '''DOCKER_BUILDKIT=0 docker build --pull .'''\n"
        "}\n"
    )
    pipeline = parse_pipeline("Jenkinsfile", text, "jenkins")
    assert pipeline.agent is Agent.PERSISTENT
    first, second = pipeline.builds  # the commented-out line is not read
    assert first.kind == "docker buildx build"
    assert [v.text for v in first.cache_from] == ["a"]
    assert [v.text for v in first.cache_to] == ["b"]
    assert _span_text(text, first.cache_to[0]) == "b"
    assert second.kind == "docker build" and second.pull is not None
    (setting,) = pipeline.buildkit_settings
    assert _span_text(text, setting) == "DOCKER_BUILDKIT=0"


def test_shell_variables_expand_into_flags_that_no_fix_may_edit() -> None:
    text = (
        "build:\n"
        "  script:\n"
        '    - CACHE="--cache-from type=registry,ref=r:c --cache-to type=registry,ref=r:c"\n'
        "    - docker buildx build $CACHE .\n"
    )
    (build,) = parse_pipeline(".gitlab-ci.yml", text, "gitlab").builds
    assert [v.text for v in build.cache_from] == ["type=registry,ref=r:c"]
    assert not build.cache_to[0].editable
    assert _span_text(text, build.cache_to[0]) == "$CACHE"


def test_yaml_block_and_folded_scalars_map_back_to_the_file() -> None:
    text = (
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: [self-hosted, linux]\n"
        "    env:\n"
        "      DOCKER_BUILDKIT: 'false'\n"
        "    steps:\n"
        "      - run: >\n"
        "          docker buildx build\n"
        "          --cache-to type=gha,mode=min .\n"
        "      - uses: docker/build-push-action@v6\n"
        "        with:\n"
        "          cache-from: |\n"
        "            type=gha,scope=x\n"
        "            type=registry,ref=r:main\n"
    )
    pipeline = parse_pipeline("w.yml", text, "github")
    assert pipeline.agent is Agent.UNKNOWN
    folded, action = pipeline.builds
    assert _span_text(text, folded.cache_to[0]) == "type=gha,mode=min"
    assert [_span_text(text, v) for v in action.cache_from] == [
        "type=gha,scope=x",
        "type=registry,ref=r:main",
    ]
    assert [v.text for v in pipeline.buildkit_settings] == ["DOCKER_BUILDKIT=false"]


def test_codebuild_and_bitbucket_agents_start_empty() -> None:
    spec = "version: 0.2\nphases:\n  build:\n    commands:\n      - docker build .\n"
    assert parse_pipeline("buildspec.yml", spec, "codebuild").agent is Agent.EPHEMERAL
    bb = "pipelines:\n  default:\n    - step:\n        script:\n          - docker build .\n"
    pipeline = parse_pipeline("bitbucket-pipelines.yml", bb, "bitbucket")
    assert pipeline.agent is Agent.EPHEMERAL and len(pipeline.builds) == 1


def test_github_expressions_in_run_scripts_do_not_swallow_flags() -> None:
    text = (
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: |\n"
        "          docker buildx build -t x:${{ github.sha }} --no-cache \\\n"
        "            --cache-to type=registry,ref=r:cache-${{ github.ref_name }},mode=max .\n"
    )
    (build,) = parse_pipeline("w.yml", text, "github").builds
    assert build.no_cache is not None
    (export,) = build.cache_to
    assert _span_text(text, export) == "type=registry,ref=r:cache-${{ github.ref_name }},mode=max"
