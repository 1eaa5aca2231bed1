#!/usr/bin/env python3
"""Drives the release `galley lsp` over a folder of drafts like an editor and reports how fast it
indexes the workspace and answers keystrokes in one of its drafts.

Generates COUNT plain-text drafts of about 3 KB (as scripts/bench-check.sh does) unless the folder
already holds them, starts the server on the folder, and reports:

- indexing: from `initialized` to the end of the work-done progress of the workspace scan;
- keystroke -> diagnostics: one character typed in the middle of a paragraph of an open draft,
  from didChange to its publishDiagnostics, minus the server's debounce;
- a pasted paragraph of another draft -> its cross-draft-duplicate diagnostic;
- `workspace/diagnostic` over every draft (first pull, then an unchanged pull);
- peak RSS of the server process (VmHWM).

Usage: cargo build --release && python3 scripts/bench-lsp-workspace.py [--count 10000] [--dir DIR]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

from lsp_client import DEBOUNCE_MS, Client, type_keystrokes

VOCABULARY = (
    "el la los las un una de del en con por para que se su sus al como más pero ayuntamiento "
    "vecinos calle obras plan ciudad barrio proyecto millones euros año semana gobierno consejo "
    "junta alcaldesa concejal pleno votos oposición mercado puerto flota cofradía lonja temporal "
    "biblioteca archivo colegio universidad estudiantes profesores festival cine teatro música "
    "coro premio jurado carretera tráfico autobús estación tren vivienda alquiler precio impuesto "
    "tasa comercio tienda cliente sábado lunes martes marzo abril mayo junio verano invierno "
    "lluvia sequía embalse agua río campo cosecha aceite vino cooperativa socios asamblea"
).split()

MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()


def generate(folder, count, rng):
    for i in range(count):
        sub = os.path.join(folder, f"seccion-{i % 100:02d}")
        os.makedirs(sub, exist_ok=True)
        left = rng.randrange(101)
        lines = [
            f"Progresista {left}% Conservador {100 - left}%",
            f"Titular de prueba número {i} sobre {rng.choice(VOCABULARY)}",
            f"Subtítulo que resume la pieza {i} en una sola frase.",
            f"Publicado: {1 + rng.randrange(28)} de {rng.choice(MONTHS)} de 2026, "
            f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
        ]
        for _ in range(14):
            lines.append(" ".join(rng.choice(VOCABULARY) for _ in range(30)) + ".")
        with open(os.path.join(sub, f"borrador-{i:05d}.txt"), "w") as out:
            out.write("\n".join(lines) + "\n")


def published(text):
    """The `Publicado:` date of a generated draft as a sortable tuple."""
    line = next(l for l in text.splitlines() if l.startswith("Publicado: "))
    day, _, month, _, year, clock = line[len("Publicado: "):].replace(",", "").split()
    hour, minute = clock.split(":")
    return (int(year), MONTHS.index(month), int(day), int(hour), int(minute))


def file_uri(path):
    return "file://" + path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join("target", "release", "galley"))
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--dir", help="folder for the drafts (generated once, then reused)")
    parser.add_argument("--keystrokes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: run `cargo build --release` first")
    rng = random.Random(args.seed)
    temporary = None
    folder = args.dir
    if folder is None:
        temporary = tempfile.TemporaryDirectory()
        folder = temporary.name
    folder = os.path.abspath(folder)
    marker = os.path.join(folder, f".generated-{args.count}")
    if not os.path.exists(marker):
        os.makedirs(folder, exist_ok=True)
        generate(folder, args.count, rng)
        open(marker, "w").close()

    client = Client(args.binary)
    client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": file_uri(folder),
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "window": {"workDoneProgress": True},
            },
        },
    )
    started = time.perf_counter()
    client.notify("initialized", {})
    ended, _ = client.wait(
        lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end",
        timeout=600,
    )
    indexing = ended - started

    path = os.path.join(folder, "seccion-07", "borrador-00007.txt")
    uri = file_uri(path)
    with open(path) as f:
        text = f.read()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}},
    )
    client.diagnostics(uri, 1)

    text, version, latencies = type_keystrokes(client, uri, text, rng, args.keystrokes, 14)

    # Paste the first paragraph of an older draft at the end: the open draft is the copy.
    pasted = None
    opened = published(text)
    for i in range(100):
        with open(os.path.join(folder, f"seccion-{i:02d}", f"borrador-{i:05d}.txt")) as f:
            lines = f.read().splitlines()
        if published("\n".join(lines)) < opened:
            pasted = lines[4]
            break
    version += 1
    end = {"line": text.count("\n"), "character": 0}
    sent = time.perf_counter()
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": end, "end": end}, "text": pasted + "\n"}],
        },
    )
    arrived, message = client.diagnostics(uri, version)
    paste = (arrived - sent) * 1000 - DEBOUNCE_MS
    codes = [d.get("code") for d in message["params"]["diagnostics"]]

    sent = time.perf_counter()
    first = client.request("workspace/diagnostic", {"previousResultIds": []})
    workspace_first = time.perf_counter() - sent
    items = first["result"]["items"]
    previous = [{"uri": i["uri"], "value": i["resultId"]} for i in items if i.get("resultId")]
    sent = time.perf_counter()
    client.request("workspace/diagnostic", {"previousResultIds": previous})
    workspace_again = time.perf_counter() - sent

    peak = client.peak_rss_mb()
    client.request("shutdown", None)
    client.notify("exit", None)
    code = client.proc.wait(timeout=30)

    print(f"workspace: {args.count} drafts in {folder}")
    print(f"indexing (initialized -> progress end): {indexing:.2f} s")
    print(
        f"keystroke -> diagnostics: {statistics.median(latencies):.1f} ms median, "
        f"p90 {sorted(latencies)[int(len(latencies) * 0.9) - 1]:.1f} ms "
        f"(excluding the {DEBOUNCE_MS} ms debounce; target < 30 ms)"
    )
    print(f"paste of another draft's paragraph -> diagnostics: {paste:.1f} ms, codes {sorted(set(codes))}")
    print(
        f"workspace/diagnostic: {len(items)} reports in {workspace_first:.2f} s, "
        f"unchanged pull {workspace_again:.2f} s"
    )
    print(f"peak RSS: {peak:.1f} MB")
    print(f"exit code after shutdown/exit: {code}")
    if temporary:
        temporary.cleanup()


if __name__ == "__main__":
    main()
