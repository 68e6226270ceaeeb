"""LW701's name test: BuildKit's SecretsUsedInArgOrEnv, minus its false alarms."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.rules.lw701_secret_in_arg_or_env import credential_shape, looks_secret

# BuildKit's own test, as dockerfile2llb writes it, for comparison.
BUILDKIT = re.compile(
    r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)"
    r"(?:_|$)"
)
WORDS = st.sampled_from(
    ["NPM", "TOKEN", "API", "KEY", "DB", "PASSWORD", "SECRET", "URL", "FILE", "PUBLIC", "GPG",
     "AUTH", "HOST", "ID", "APP", "MONKEY", "KEYS", "TOKENS", "BASE"]
)  # fmt: skip
NAMES = st.lists(WORDS, min_size=1, max_size=4).map("_".join)


@pytest.mark.parametrize(
    ("name", "secret"),
    [("NPM_TOKEN", True), ("DB_PASSWORD", True), ("SECRET_KEY_BASE", True), ("api_key", True),
     ("AUTH", True), ("NPM_TOKEN_URL", False), ("API_KEY_FILE", False),
     ("AWS_ACCESS_KEY_ID", False), ("GPG_KEY", False), ("PUBLIC_KEY", False),
     ("KEYBOARD", False), ("MONKEY", False), ("TOKENS", False),
     ("APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE", False), ("SSH_AUTH_SOCK", False),
     ("GOOGLE_APPLICATION_CREDENTIALS", False), ("GOOGLE_CREDENTIALS", True)],
)  # fmt: skip
def test_names(name: str, secret: bool) -> None:
    assert looks_secret(name) is secret


@given(NAMES)
def test_never_more_than_buildkit(name: str) -> None:
    if looks_secret(name):
        assert BUILDKIT.search(name)


@given(NAMES, st.sampled_from(["URL", "FILE", "PATH", "HOST", "ID"]))
def test_a_reference_suffix_is_never_a_secret(name: str, suffix: str) -> None:
    assert not looks_secret(f"{name}_{suffix}")


@given(NAMES.filter(lambda n: not re.search(r"(?i)(^|_)(public|gpg)(_|$)", n)))
def test_a_secret_last_word_is_always_one(name: str) -> None:
    assert looks_secret(f"{name}_TOKEN")


@pytest.mark.parametrize(
    ("value", "shape"),
    [("ghp_" + "a" * 36, "ghp_..."), ("AKIAIOSFODNN7EXAMPLE", "AKIA..."),
     ("postgres://u:p@db/x", "scheme://user:password@host"),
     ("postgres://u:${PASS}@db/x", None), ("https://registry.npmjs.org/", None),
     ("-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----"), ("changeme", None)],
)  # fmt: skip
def test_value_shapes(value: str, shape: str | None) -> None:
    assert credential_shape(value) == shape
