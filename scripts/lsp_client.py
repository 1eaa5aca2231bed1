"""The stdio LSP client the benchmark scripts drive `galley lsp` with, like an editor would:
JSON-RPC framing, answering server requests, waiting for messages, and typing keystrokes into an
open plain-text draft while timing the diagnostics that follow.
"""

import json
import os
import queue
import subprocess
import threading
import time

# The server's debounce after a change (src/lsp/session.rs, DEBOUNCE).
DEBOUNCE_MS = 50


class Client:
    def __init__(self, binary):
        self.proc = subprocess.Popen(
            [binary, "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(os.environ.get("BENCH_STDERR", os.devnull), "w"),
        )
        self.messages = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    @staticmethod
    def frame(message):
        body = json.dumps(message, ensure_ascii=False).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def send(self, message):
        self.send_frame(self.frame(message))

    def send_frame(self, frame):
        self.proc.stdin.write(frame)
        self.proc.stdin.flush()

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m)[1]

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, pred, timeout=120):
        deadline = time.perf_counter() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.0, deadline - time.perf_counter()))
            if "id" in message and "method" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            if pred(message):
                return at, message

    def diagnostics(self, uri, version):
        return self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )

    def peak_rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


def position(text, offset):
    before = text[:offset]
    line = before.count("\n")
    start = before.rfind("\n") + 1
    character = sum(2 if ord(c) > 0xFFFF else 1 for c in before[start:])
    return {"line": line, "character": character}


def type_keystrokes(client, uri, text, rng, count, body_lines):
    """Types `count` single characters, each in the middle of a random one of the `body_lines`
    lines after the four-line header of the open draft at `uri` (at version 1), waiting for the
    diagnostics of each change. Returns the new text, its version and the latencies in ms minus
    the debounce."""
    latencies = []
    version = 1
    for _ in range(count):
        version += 1
        # A character typed in the middle of some body paragraph.
        line_no = 4 + rng.randrange(body_lines)
        line_start = 0
        for _ in range(line_no):
            line_start = text.index("\n", line_start) + 1
        offset = line_start + 10
        pos = position(text, offset)
        text = text[:offset] + "x" + text[offset:]
        sent = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}],
            },
        )
        arrived, _ = client.diagnostics(uri, version)
        latencies.append((arrived - sent) * 1000 - DEBOUNCE_MS)
    return text, version, latencies
