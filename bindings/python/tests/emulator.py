"""A running `ges-emulator` process and its control API (`/__emulator/...`)."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import threading
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

ACCESS_KEY = "TESTACCESSKEY0000001"
SECRET_KEY = "s3cr3t-Test-Secret-Key-0123456789"
PROJECT_ID = "demo-project"
AUTH_TOKEN = "iam-Token-Very-Secret-135"
SECURITY_TOKEN = "sts-Token-Very-Secret-246"

# The services around GES (`--cloud-config`): IAM's agencies, one user and one OIDC
# identity provider.
DOMAIN = "acme"
USER_NAME = "alice"
PASSWORD = "alice-Pa55word-Very-Secret"
IDP_ID = "github"
ID_TOKEN = "oidc-Id-Token-Very-Secret-357"
CLOUD: Dict[str, Any] = {"iam": {
    "agencies": [
        # "ops" trusts the emulator's own keys; "audit" only those of "ops".
        {"domain_name": DOMAIN, "domain_id": f"d-{DOMAIN}", "name": "ops", "assumable_by": [ACCESS_KEY]},
        {"domain_name": DOMAIN, "name": "audit", "assumable_by": [f"agency:{DOMAIN}/ops"]},
    ],
    "users": [{"domain_name": DOMAIN, "name": USER_NAME, "password": PASSWORD}],
    "identity_providers": {IDP_ID: [ID_TOKEN]},
}}


class Emulator:
    def __init__(self, process: "subprocess.Popen[str]", url: str) -> None:
        self.process = process
        self.url = url

    @classmethod
    @contextmanager
    def start(cls, binary: Path, *args: str, timeout: float = 20.0) -> Iterator["Emulator"]:
        """Start the emulator on a free loopback port, read its URL (the first line of
        its stdout), and end it on exit."""
        process = subprocess.Popen(
            [str(binary), "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], timeout)
            line = process.stdout.readline().strip() if ready else ""
            if not line.startswith(("http://", "https://")):
                raise RuntimeError(f"{binary} printed {line!r} instead of its URL")
            # Keep draining stdout so that the emulator never blocks on a full pipe.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            yield cls(process, line.rstrip("/"))
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def control(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/__emulator/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read().decode()
        return json.loads(text) if text.strip() else None

    def fault(self, action: dict[str, Any], *, times: int = 1, after: int = 0, **match: Any) -> None:
        """Script a fault: `action` on `times` list requests (0: all) matching `match`
        (path, offset, api), after letting `after` of them through."""
        self.control("POST", "faults", {"match": match, "after": after, "times": times, "action": action})

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def add_backups(self, body: Any) -> Any:
        return self.control("POST", "backups", body)

    def stats(self) -> Any:
        return self.control("GET", "stats")

    def cloud_stats(self) -> Any:
        """The counters of IAM, STS and pod identity calls, and the ID tokens presented
        (never reset)."""
        return self.control("GET", "cloud/stats")

    def reset(self) -> None:
        self.control("POST", "reset")
