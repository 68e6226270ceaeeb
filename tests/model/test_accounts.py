"""Users created by RUN (useradd/adduser/groupadd/addgroup) decide USER's uid and home."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerwise.model import State, build_model
from layerwise.model.accounts import Account, _words, created_accounts
from layerwise.syntax import parse


def last_state(text: str) -> State:
    return build_model(parse(text)).final_stage.steps[-1].state


@pytest.mark.parametrize(
    ("script", "user", "account"),
    [
        ("useradd -u 1001 -m app", "app", Account("1001", None, "/home/app")),
        (
            "useradd --uid=1001 --gid 1002 -d /srv/app app",
            "app",
            Account("1001", "1002", "/srv/app"),
        ),
        ("useradd -r app", "app", Account(None, None, "/home/app")),
        ("useradd -u1001 app", "app", Account("1001", None, "/home/app")),
        # BusyBox: -G is the group, -g is GECOS, -h the home.
        ("adduser -D -u 1001 -g 'App user' -h /app app", "app", Account("1001", None, "/app")),
        (
            "adduser --system --uid 1001 --home /nonexistent app",
            "app",
            Account("1001", None, "/nonexistent"),
        ),
        ("apt-get update && useradd -u 5 x; echo done", "x", Account("5", None, "/home/x")),
        ("useradd -u $UID app", "app", Account(None, None, "/home/app")),
    ],
)
def test_created_accounts(script: str, user: str, account: Account) -> None:
    users, _ = created_accounts(script, {}, {})
    assert users[user] == account


def test_groups_resolve_named_gids() -> None:
    script = "addgroup --system --gid 1001 nodejs && adduser --system --uid 1001 -G nodejs nextjs"
    users, groups = created_accounts(script, {}, {})
    assert groups == {"nodejs": "1001"}
    assert users["nextjs"] == Account("1001", "1001", "/home/nextjs")
    users, _ = created_accounts("groupadd -g 2000 web && useradd -u 1500 -g web w", {}, {})
    assert users["w"].gid == "2000"


def test_unrelated_or_broken_scripts_change_nothing() -> None:
    assert created_accounts("npm ci", {}, {}) == ({}, {})
    assert created_accounts("useradd 'unterminated", {}, {}) == ({}, {})
    assert created_accounts("echo adduser", {}, {}) == ({}, {})


def test_user_created_in_the_dockerfile_gives_uid_and_home() -> None:
    text = (
        "FROM node:20-alpine AS base\n"
        "RUN addgroup --system --gid 1001 nodejs \\\n"
        "  && adduser --system --uid 1001 nextjs\n"
        "FROM base\n"
        "USER nextjs:nodejs\n"
        "RUN npm ci\n"
    )
    state = last_state(text)
    assert state.uid_gid == ("1001", "1001")
    assert state.home == "/home/nextjs"


@pytest.mark.parametrize(
    ("user", "uid_gid", "home"),
    [
        ("1000", ("1000", "1000"), "/home/appuser"),  # the account's passwd entry
        ("1001", ("1001", "1002"), "/srv/worker"),  # its primary group too
        ("1001:1000", ("1001", "1000"), "/srv/worker"),  # a stated group wins
        ("4242", ("4242", "4242"), "/"),  # no passwd entry: HOME=/
    ],
)
def test_numeric_user_of_an_account_created_in_the_dockerfile(
    user: str, uid_gid: tuple[str, str], home: str
) -> None:
    text = (
        "FROM python:3.12-slim\n"
        "RUN useradd -u 1000 -m appuser \\\n"
        "  && useradd --uid 1001 --gid 1002 -d /srv/worker worker\n"
        f"USER {user}\n"
        "RUN uv sync --frozen\n"
    )
    state = last_state(text)
    assert state.uid_gid == uid_gid
    assert state.home == home


def test_user_created_without_uid_stays_unknown() -> None:
    state = last_state("FROM debian\nRUN useradd -m app\nUSER app\nRUN true\n")
    assert state.uid_gid is None
    assert state.home == "/home/app"


def test_heredoc_run_creates_users() -> None:
    text = "FROM debian\nRUN <<EOF\nuseradd -u 1234 -d /work builder\nEOF\nUSER builder\nRUN true\n"
    state = last_state(text)
    assert state.uid_gid == ("1234", "1234")
    assert state.home == "/work"


@given(st.text(alphabet="ab -='\"\\", max_size=25))
def test_word_splitting_agrees_with_shlex(segment: str) -> None:
    try:
        expected = shlex.split(segment)
    except ValueError:
        expected = []
    if segment.endswith("\\") and not segment.endswith("\\\\"):
        return  # a trailing lone backslash: shlex errors, a shell would continue the line
    assert _words(segment) == expected


def test_quoted_apostrophe_in_a_comment() -> None:
    users, _ = created_accounts('useradd -u 7 -c "Bob\'s account" bob', {}, {})
    assert users["bob"].uid == "7"
