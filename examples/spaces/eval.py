#!/usr/bin/env python3
"""A stand-in training for models of spaces declared in brpsh, for trying a search without a GPU.

Called as `python3 eval.py ARCH` by a search with evaluate: run("python3 eval.py {arch}"). ARCH is the model's
text form (docs/formats.md): an edge cell `|op~0|+|op~0|op~1|+...`, an inputs cell `normal=op~0,op~1|...`, or a
choice space's blocks `key=value,key=value|...`. The script reads it the way a real training script would, scores it
with a fixed, deterministic formula (wider, larger-kernel, deeper choices and convolutions help, a small
pseudo-random term from the text's hash), and prints its result as the last line: {"accuracy": ..., "params_m": ...}.

Environment (used by brpsh's tests): EVAL_LOG appends each evaluated model to a file; EVAL_SLEEP sleeps that many
seconds first.
"""
import hashlib
import json
import os
import sys
import time


def parse(text):
    """The model's choices as (name, value) pairs, whatever kind of space it comes from."""
    pairs = []
    if "=" in text and "~" not in text:  # choice blocks
        for block in text.split("|"):
            for item in block.split(","):
                key, value = item.split("=")
                pairs.append((key, value))
        return pairs
    for part in text.replace(";", "|").replace("+", "|").split("|"):
        part = part.split("=")[-1]
        for item in filter(None, part.split(",")):
            op, node = item.split("~")
            pairs.append((op, int(node)))
    return pairs


def score(pairs):
    s = 0.0
    for name, value in pairs:
        if isinstance(value, int):  # a cell's op
            s += 1.0 if "conv" in name else (0.2 if "skip" in name else (-0.5 if name in ("none", "zero") else 0.0))
            s += 0.3 if "5x5" in name or "3x3" in name else 0.0
        else:  # a block's choice: larger values help, with diminishing returns
            try:
                s += min(float(value), 64.0) ** 0.5 / 4
            except ValueError:
                s += 0.1
    return s


def main():
    if len(sys.argv) < 2:
        print("usage: eval.py ARCH", file=sys.stderr)
        return 2
    arch = sys.argv[1]
    if os.environ.get("EVAL_SLEEP"):
        time.sleep(float(os.environ["EVAL_SLEEP"]))
    try:
        pairs = parse(arch)
    except ValueError:
        print(f"not a model's text form: {arch}", file=sys.stderr)
        return 2
    noise = int(hashlib.sha256(arch.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    accuracy = round(60.0 + 3.0 * score(pairs) / max(1, len(pairs)) * 4 + 2.0 * noise, 4)
    params = round(0.5 + 0.05 * len(pairs), 3)
    if os.environ.get("EVAL_LOG"):
        with open(os.environ["EVAL_LOG"], "a") as log:
            log.write(arch + "\n")
    print("training the stand-in model ... done")
    print(json.dumps({"accuracy": accuracy, "params_m": params}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
