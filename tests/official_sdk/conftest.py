"""Starts the project's emulator binary on loopback for the official SDK to talk to."""
import os
import subprocess
from pathlib import Path
from typing import Iterator, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = Path(os.environ.get("GES_EMULATOR", ROOT / "target" / "release" / "ges-emulator"))

AK, SK = "AKOFFICIALSDK", "SKofficial-sdk-secret"


def start(args: List[str]) -> "subprocess.Popen[str]":
    proc = subprocess.Popen(
        [str(EMULATOR), "--listen", "127.0.0.1:0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    proc.base_url = proc.stdout.readline().strip()  # type: ignore[attr-defined]
    assert proc.base_url.startswith("http://"), proc.base_url  # type: ignore[attr-defined]
    return proc


@pytest.fixture(scope="module")
def signed_emulator() -> Iterator[str]:
    proc = start(["--backups", "1234", "--graphs", "5", "--access-key", AK, "--secret-key", SK])
    yield proc.base_url  # type: ignore[attr-defined]
    proc.terminate()
    assert proc.wait(timeout=10) == 0
