"""Platform strings read as containerd's platforms.Parse reads them."""

from __future__ import annotations

import pytest

from layerwise.model.platforms import PLATFORM_ARGS, Platform, parse_platform, platform_problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("linux/amd64", Platform("linux", "amd64")),
        ("Linux/ARM64/v8", Platform("linux", "arm64", "v8")),
        ("linux/x86_64", Platform("linux", "amd64")),
        ("linux/aarch64", Platform("linux", "arm64")),
        ("linux", Platform("linux", "")),
        ("windows", Platform("windows", "")),
        ("arm64", Platform("linux", "arm64")),
        ("x86_64", Platform("linux", "amd64")),
        # a single word that is neither a known OS nor a known architecture: containerd
        # rejects it ("unknown operating system or architecture"), the build fails
        ("foo", None),
        ("amd", None),
        # any two words go; aliases as containerd's normalizeArch has them
        ("foo/bar", Platform("foo", "bar")),
        ("macos/arm64", Platform("darwin", "arm64")),
        ("armel", Platform("linux", "arm", "v6")),
        ("armhf", Platform("linux", "arm")),
        ("linux/arm", Platform("linux", "arm")),
        ("linux/armel", Platform("linux", "arm", "v6")),
        ("linux/arm/v6", Platform("linux", "arm", "v6")),
        ("linux/arm/7", Platform("linux", "arm", "v7")),
        ("linux/arm64/8", Platform("linux", "arm64", "v8")),
        ("linux/amd64/v1", Platform("linux", "amd64")),
        ("linux/amd64/v3", Platform("linux", "amd64", "v3")),
        ("linux/i386", Platform("linux", "386")),
        ("", None),
        ("linux/", None),
        ("linux/arm/v7/x", None),
        ("linux amd64", None),
    ],
)
def test_parse_platform(text: str, expected: Platform | None) -> None:
    assert parse_platform(text) == expected
    assert (platform_problem(text) is None) == (expected is not None)


def test_platform_args_leave_out_targetstage() -> None:
    assert "TARGETSTAGE" not in PLATFORM_ARGS
    assert len(PLATFORM_ARGS) == 8
