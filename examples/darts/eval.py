#!/usr/bin/env python3
"""A stand-in for a DARTS training, for trying brpsh's search driver without a GPU.

Called as `python3 eval.py GENOTYPE [DIR]` by brp(space: "darts", evaluate: run("python3 eval.py {arch}")).
It scores the genotype with a fixed, deterministic formula (convolutions help, pooling and skips cost, plus a
small pseudo-random term from the genotype's hash), so the same genotype always gets the same "accuracy", and
prints the result as its last line: {"accuracy": ..., "params_m": ...}. A real evaluator prints the same line
after training (see README.md in this folder).

Environment (used by brpsh's tests): EVAL_LOG appends each evaluated genotype to a file; EVAL_SLEEP sleeps that
many seconds first; EVAL_FAIL_IF makes genotypes containing that text fail (exit status 3).
"""
import hashlib
import json
import os
import re
import sys
import time

WEIGHTS = {"sep_conv_3x3": 0.45, "sep_conv_5x5": 0.40, "dil_conv_3x3": 0.30, "dil_conv_5x5": 0.25,
           "skip_connect": -0.10, "max_pool_3x3": -0.30, "avg_pool_3x3": -0.25}
PARAMS = {"sep_conv_3x3": 0.12, "sep_conv_5x5": 0.2, "dil_conv_3x3": 0.06, "dil_conv_5x5": 0.1}


def main():
    if len(sys.argv) < 2 or not sys.argv[1].startswith("Genotype("):
        print("usage: eval.py 'Genotype(normal=[...], ...)' [DIR]", file=sys.stderr)
        return 2
    genotype = sys.argv[1]
    if os.environ.get("EVAL_SLEEP"):
        time.sleep(float(os.environ["EVAL_SLEEP"]))
    if os.environ.get("EVAL_FAIL_IF") and os.environ["EVAL_FAIL_IF"] in genotype:
        print("simulated training failure", file=sys.stderr)
        return 3
    ops = re.findall(r"\('(\w+)', (\d)\)", genotype)
    if len(ops) != 16:
        print(f"expected 16 (op, input) pairs, found {len(ops)}", file=sys.stderr)
        return 2
    score = 93.0 + sum(WEIGHTS[op] for op, _ in ops[:8]) + 0.5 * sum(WEIGHTS[op] for op, _ in ops[8:])
    noise = int(hashlib.sha256(genotype.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    accuracy = round(score + 0.6 * noise, 4)
    params = round(1.5 + sum(PARAMS.get(op, 0) for op, _ in ops), 3)
    if os.environ.get("EVAL_LOG"):
        with open(os.environ["EVAL_LOG"], "a") as log:
            log.write(genotype + "\n")
    print("training the stand-in model ... done")
    print(json.dumps({"accuracy": accuracy, "params_m": params}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
