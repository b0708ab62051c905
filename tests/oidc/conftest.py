"""A real OpenID provider for the sign-in tests: tests/oidc/provider.mjs (the certified
`oidc-provider` package on Node) started on a free port for the test session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
CALLBACK_PATH = "/account/organisatie/terug/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningProvider:
    def __init__(self, issuer: str, process: subprocess.Popen):
        self.issuer = issuer
        self.process = process

    def tamper(self, **changes) -> None:
        """The next token responses carry an ID token re-signed with changed claims
        (``aud``, ``iss``, ``exp_offset``); ``tamper()`` switches it off."""
        response = requests.post(f"{self.issuer}/_test/tamper", json=changes, timeout=5)
        response.raise_for_status()


def start_provider(base_url: str) -> RunningProvider:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        if os.environ.get("WEL_REQUIRE_SERVICES"):
            pytest.fail("the sign-in tests need Node 20 and node_modules (make install)")
        pytest.skip("the sign-in tests need Node 20 and node_modules (make install)")
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (open while the provider runs)
    process = subprocess.Popen(
        [node, str(SCRIPT), str(port), f"{base_url}{CALLBACK_PATH}", f"{base_url}/account/login/"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read()
            pytest.fail(f"the test provider stopped: {output}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return RunningProvider(issuer, process)
        except requests.RequestException:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail("the test provider did not start within 20 seconds")


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    provider = start_provider(live_server.url)
    yield provider
    provider.process.terminate()
    try:
        provider.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()
