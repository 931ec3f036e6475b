"""Cancellation: Ctrl-C during `list_backups` (or `list_backups_json`) cancels the native call and raises
KeyboardInterrupt within half a second; a cancelled native call is CancelledError."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ges_backups import CancelledError, Client, ErrorKind, GesError, _native
from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator

# The child lists 50 backups 10 at a time, one page at once: about 12 s at 2 s a page.
CHILD = """
import json, signal, sys, time
# Python leaves SIGINT ignored when its parent ignored it (a shell's background job):
# restore the default handler, as an interactive program has it.
signal.signal(signal.SIGINT, signal.default_int_handler)
import ges_backups
client = ges_backups.Client(endpoint=sys.argv[1], project_id=sys.argv[2], access_key=sys.argv[3],
                            secret_key=sys.argv[4], page_size=10, max_concurrency=1)
print("listing", flush=True)
try:
    getattr(client, sys.argv[5])()
except KeyboardInterrupt:
    print(json.dumps({"interrupted_at": time.monotonic()}), flush=True)
    client.close()
    sys.exit(0)
print("finished", flush=True)
sys.exit(1)
"""


def _requests(emulator: Emulator) -> int:
    count: int = emulator.stats()["requests"]
    return count


@pytest.mark.parametrize("presses, call", [(1, "list_backups"), (2, "list_backups"), (1, "list_backups_json")])
def test_ctrl_c_cancels_the_native_call_within_half_a_second(
    latency_emulator: Emulator, tmp_path: Path, presses: int, call: str
) -> None:
    """A second Ctrl-C while the cancelled call winds down changes nothing: the call
    still ends before the client is freed (no crash at close or exit)."""
    latency_emulator.reset()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, latency_emulator.url, PROJECT_ID, ACCESS_KEY, SECRET_KEY, call],
        stdout=subprocess.PIPE, text=True, cwd=tmp_path, env=dict(os.environ),
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "listing"
        # Interrupt once the native call is waiting on the emulator.
        deadline = time.monotonic() + 10
        while _requests(latency_emulator) == 0:
            assert time.monotonic() < deadline, "the listing never reached the emulator"
            time.sleep(0.05)
        time.sleep(0.3)
        sent_at = time.monotonic()
        child.send_signal(signal.SIGINT)
        if presses == 2:
            time.sleep(0.002)
            child.send_signal(signal.SIGINT)
        line = child.stdout.readline()
        seen_at = time.monotonic()
        # A second press may also land in the child's own except block, after the
        # first was delivered: Python then ends by SIGINT, as it should; never a crash.
        assert child.wait(10) == 0 or (presses == 2 and child.returncode == -signal.SIGINT)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    interrupted_at = json.loads(line)["interrupted_at"]  # CLOCK_MONOTONIC: one clock for both
    latency = interrupted_at - sent_at
    print(f"Ctrl-C to KeyboardInterrupt: {latency * 1000:.0f} ms ({(seen_at - sent_at) * 1000:.0f} ms to the parent)")
    assert 0 <= latency < 0.5
    # Cancelled, not abandoned: no request starts after the interrupt.
    after = _requests(latency_emulator)
    time.sleep(2.5)
    assert _requests(latency_emulator) == after
    assert after < 6  # of the 6 pages a full listing reads


def test_a_cancelled_native_call_is_cancelled_error(emulator: Emulator, client: Client) -> None:
    """The library's kind 7 reaches Python as CancelledError, a GesError."""
    cancel = _native.lib.ges_cancel_new()
    try:
        _native.lib.ges_cancel_request(cancel)
        handle = client._acquire()
        try:
            with pytest.raises(CancelledError) as caught:
                _native.list_backups(handle, b"{}", cancel)
        finally:
            client._release()
    finally:
        _native.lib.ges_cancel_free(cancel)
    assert isinstance(caught.value, GesError) and caught.value.kind is ErrorKind.CANCELLED
    assert int(caught.value.kind) == 7
    assert caught.value.http_status is None
    assert _requests(emulator) == 0  # cancelled before it started: no request


def test_listing_from_the_main_thread_is_unchanged_by_the_worker(client: Client) -> None:
    """The worker thread hands back results and errors as they are."""
    assert len(client.list_backups()) == 250
    with pytest.raises(GesError):
        client.list_backups(limit=5000)
