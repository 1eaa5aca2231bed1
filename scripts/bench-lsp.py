#!/usr/bin/env python3
"""Drives the release `galley lsp` over stdio like an editor and reports how fast it answers.

Generates a 5 MB draft of 20,000 paragraphs (Spanish text with accents, a few pasted and
lightly reworded paragraphs so there are findings), opens it, then types single characters in
the middle of the body one at a time. Reports:

- open -> diagnostics: from sending didOpen to receiving its publishDiagnostics;
- keystroke -> diagnostics: from sending a one-character didChange to receiving the
  diagnostics for that version, minus the server's debounce (stated below);
- peak RSS of the server process (VmHWM).

Usage: cargo build --release && python3 scripts/bench-lsp.py [--binary target/release/galley]
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import queue

# The server's debounce after a change (src/lsp/session.rs, DEBOUNCE).
DEBOUNCE_MS = 50

WORDS = (
    "el la los las un una de del en con por para según desde hasta sobre entre tras "
    "ayuntamiento gobierno presupuesto oposición vivienda transporte educación sanidad "
    "reunión concejales alcaldesa ministro portavoz barrio ciudad región país acuerdo "
    "inversión millones euros año década mañana tarde noche sesión pleno votación "
    "aprobó rechazó anunció defendió criticó explicó señaló recordó añadió advirtió "
    "público pública nuevo nueva último última próximo próxima económico política "
    "niños jóvenes mayores vecinos trabajadores empresas comercios hospitales escuelas "
    "está están había habían será serán podría deberían según además también aunque"
).split()

TARGET_BYTES = 5 * 1024 * 1024
PARAGRAPHS = 20_000


def make_draft(rng):
    header = [
        "Progresista 35% Conservador 65%",
        "El pleno aprueba el presupuesto más ambicioso de la década",
        "La oposición critica la falta de inversión en vivienda pública",
        "Publicado: 14 de marzo de 2026, 09:30",
    ]
    per_paragraph = TARGET_BYTES // PARAGRAPHS
    body = []
    for i in range(PARAGRAPHS):
        words = [f"p{i}"]
        size = len(words[0])
        while size < per_paragraph - 2:
            word = rng.choice(WORDS)
            words.append(word)
            size += len(word.encode()) + 1
        body.append(" ".join(words) + ".")
    # Pasted copies and lightly reworded copies, spread through the body.
    for k in range(10):
        src = rng.randrange(PARAGRAPHS)
        dst = rng.randrange(PARAGRAPHS)
        body[dst] = body[src]
    for k in range(10):
        src = rng.randrange(PARAGRAPHS)
        dst = rng.randrange(PARAGRAPHS)
        words = body[src].split(" ")
        words[len(words) // 2] = "modificado"
        body[dst] = " ".join(words)
    return "\n".join(header + body) + "\n"


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join("target", "release", "galley"))
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--keystrokes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: run `cargo build --release` first")

    rng = random.Random(args.seed)
    text = make_draft(rng)
    size_mb = len(text.encode()) / (1024 * 1024)
    paragraphs = text.count("\n") - 4
    uri = "file:///bench/borrador-grande.txt"

    client = Client(args.binary)
    client.request(
        "initialize",
        {"processId": os.getpid(), "capabilities": {"general": {"positionEncodings": ["utf-16"]}}},
    )
    client.notify("initialized", {})

    # Serialised beforehand: the editor's own JSON encoding is not the server's latency.
    frame = client.frame(
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}},
        }
    )
    opens = []
    for attempt in range(args.opens):
        if attempt:
            # Closing drops the document and its analysis cache: the next open starts cold.
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            client.wait(
                lambda m: m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") is None
            )
        sent = time.perf_counter()
        client.send_frame(frame)
        arrived, message = client.diagnostics(uri, 1)
        opens.append((arrived - sent) * 1000)
    findings = len(message["params"]["diagnostics"])

    latencies = []
    version = 1
    for _ in range(args.keystrokes):
        version += 1
        # A character typed in the middle of some body paragraph.
        line_no = 4 + rng.randrange(paragraphs)
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

    peak = client.peak_rss_mb()
    client.request("shutdown", None)
    client.notify("exit", None)
    code = client.proc.wait(timeout=30)

    print(f"draft: {size_mb:.1f} MB, {paragraphs} paragraphs, {findings} diagnostics")
    print(
        f"open -> diagnostics:       {statistics.median(opens):7.1f} ms median of {len(opens)} cold opens, "
        f"min {min(opens):.1f}, max {max(opens):.1f} (target < 100 ms)"
    )
    print(
        f"keystroke -> diagnostics:  {statistics.median(latencies):7.1f} ms median, "
        f"p90 {sorted(latencies)[int(len(latencies) * 0.9) - 1]:.1f} ms "
        f"(excluding the {DEBOUNCE_MS} ms debounce; target < 30 ms)"
    )
    print(f"peak RSS:                  {peak:7.1f} MB   (target < 150 MB)")
    print(f"exit code after shutdown/exit: {code}")


if __name__ == "__main__":
    main()
