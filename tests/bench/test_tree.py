from __future__ import annotations

from pathlib import Path

import pytest

from layerwise.bench.tree import TreeGuard, write_atomic
from layerwise.errors import LayerwiseError

from .helpers import snapshot


def test_claimed_file_is_restored_byte_for_byte_with_its_mode(tiny_app: Path) -> None:
    target = tiny_app / "app/main.py"
    target.chmod(0o755)  # mode matters to BuildKit; the restore must keep it
    from .helpers import git

    git(tiny_app, "commit", "-q", "-am", "exec bit")
    before = snapshot(tiny_app)
    with TreeGuard(tiny_app) as guard:
        guard.claim("app/main.py")
        guard.write("app/main.py", b"changed\n")
        assert target.read_bytes() == b"changed\n"
        assert target.stat().st_mode & 0o777 == 0o755
    assert snapshot(tiny_app) == before
    assert target.stat().st_mode & 0o777 == 0o755


def test_restore_happens_when_the_body_raises(tiny_app: Path) -> None:
    before = snapshot(tiny_app)
    with pytest.raises(RuntimeError), TreeGuard(tiny_app) as guard:
        guard.claim("requirements.txt")
        guard.write("requirements.txt", b"flask\n")
        raise RuntimeError("boom")
    assert snapshot(tiny_app) == before


def test_uncommitted_changes_are_never_clobbered(tiny_app: Path) -> None:
    (tiny_app / "app/main.py").write_text("print('my work')\n")
    guard = TreeGuard(tiny_app)
    with pytest.raises(LayerwiseError, match="uncommitted changes"):
        guard.claim("app/main.py")
    assert (tiny_app / "app/main.py").read_text() == "print('my work')\n"


def test_only_tracked_files_are_claimed(tiny_app: Path) -> None:
    (tiny_app / "notes.txt").write_text("mine\n")
    with pytest.raises(LayerwiseError, match="tracks"):
        TreeGuard(tiny_app).claim("notes.txt")
    with pytest.raises(LayerwiseError, match="outside"):
        TreeGuard(tiny_app / "app").claim("../requirements.txt")


def test_writing_an_unclaimed_file_is_a_bug(tiny_app: Path) -> None:
    with pytest.raises(ValueError):
        TreeGuard(tiny_app).write("app/main.py", b"x")


def test_a_context_outside_git_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LayerwiseError, match="git"):
        TreeGuard(tmp_path)


def test_claim_context_restores_tracked_files_and_removes_new_untracked_ones(
    tiny_app: Path,
) -> None:
    (tiny_app / ".gitignore").write_text("build/\n")
    from .helpers import git

    git(tiny_app, "add", ".gitignore")
    git(tiny_app, "commit", "-q", "-m", "ignore")
    (tiny_app / "mine.txt").write_text("untracked before the bench\n")
    before = snapshot(tiny_app)
    with TreeGuard(tiny_app) as guard:
        guard.claim_context()
        (tiny_app / "requirements.txt").write_text("left-pad\n")
        (tiny_app / "app/__init__.py").unlink()
        (tiny_app / "new.lock").write_text("made by the command\n")
        (tiny_app / "build").mkdir()
        (tiny_app / "build/out").write_text("ignored\n")
    after = snapshot(tiny_app)
    assert after.pop("build/out") == b"ignored\n"  # git-ignored output is left alone
    assert after == before


def test_claim_context_refuses_a_dirty_context(tiny_app: Path) -> None:
    (tiny_app / "requirements.txt").write_text("dirty\n")
    with pytest.raises(LayerwiseError, match="uncommitted"):
        TreeGuard(tiny_app).claim_context()


def test_write_atomic_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    write_atomic(path, b"new", 0o640)
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]
