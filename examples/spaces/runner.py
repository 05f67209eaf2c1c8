#!/usr/bin/env python3
"""A stand-in device runner for models of spaces declared in brpsh (docs/measure.md, "Device runners").

brpsh starts it once and writes one JSON request per line: {"id": N, "arch": TEXT, "space": DECLARATION, "runs": R,
"per_run": P, "warmup": W, "threads": T, "seed": S}. TEXT is the model's text form (docs/formats.md); a real runner
builds the network from it, runs W untimed inferences, then R runs of P timed ones, and replies
{"id": N, "runs": [[seconds per inference, ...], ...]} (or {"id": N, "error": "..."}). This stand-in times nothing: it
answers with a deterministic cost (more and larger ops take longer) plus a little noise from the text's hash.
"""
import hashlib
import json
import sys


def cost(text):
    seconds = 0.0005
    for token in text.replace("|", ",").replace("+", ",").replace(";", ",").replace("=", ",").split(","):
        if "conv" in token:
            seconds += 0.0004 if "5x5" in token else (0.0002 if "3x3" in token else 0.0001)
        elif token.isdigit():
            seconds += int(token) * 0.000004
    return seconds


def main():
    print(json.dumps({"device": "stand-in runner (no timing)"}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        base = cost(request["arch"])
        runs = []
        for r in range(request["runs"]):
            digest = hashlib.sha256(f"{request['arch']}/{r}".encode()).digest()
            runs.append([base * (1 + digest[i % len(digest)] / 2550) for i in range(request["per_run"])])
        print(json.dumps({"id": request["id"], "runs": runs}), flush=True)


if __name__ == "__main__":
    main()
