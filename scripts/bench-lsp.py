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
import os
import random
import statistics
import sys
import time

from lsp_client import DEBOUNCE_MS, Client, type_keystrokes

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

    _, _, latencies = type_keystrokes(client, uri, text, rng, args.keystrokes, paragraphs)

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
