#!/usr/bin/env python3
"""A brpsh device runner (docs/measure.md, "Device runners"): builds each requested NAS-Bench-201 network as an
ONNX graph and times batch-1 inference with ONNX Runtime on this machine.

    t = measure(n: 100, runner: "python3 examples/runner/onnx_runner.py")

Protocol: brpsh writes one JSON request per line on standard input and reads one JSON reply per line on standard
output, {"id": N, "runs": [[seconds, ...], ...]} or {"id": N, "error": "..."}. A first line {"device": "..."}
describes the device. Anything else goes to standard error (brpsh keeps it in DIR/runner.log).

To measure a phone or a board, keep the protocol loop and replace `time_model`: save the ONNX model, push it to the
device (adb, ssh), run it there with its own runtime, and send back the timings.

Needs the Python packages onnx and onnxruntime (pip install onnx onnxruntime).
"""
import json
import platform
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper


class Graph:
    """Builds the NB201 network (the layers of NB201's own code, BNs folded into the convolutions)."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.weights, self.count = [], [], 0

    def fresh(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, array):
        name = self.fresh("w")
        self.weights.append(numpy_helper.from_array(np.asarray(array, dtype=np.float32), name))
        return name

    def op(self, kind, inputs, **attrs):
        out = self.fresh(kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def batchnorm(self, c):
        gamma = self.rng.uniform(0.5, 1.5, c)
        beta = 0.1 * self.rng.standard_normal(c)
        mean = 0.1 * self.rng.standard_normal(c)
        var = self.rng.uniform(0.5, 1.5, c)
        scale = gamma / np.sqrt(var + 1e-5)
        return scale, beta - mean * scale

    def conv(self, x, cin, cout, k, stride=1, relu=True, bn=True):
        if relu:
            x = self.op("Relu", [x])
        w = self.rng.standard_normal((cout, cin, k, k)) * np.sqrt(2.0 / (cin * k * k))
        inputs = [x]
        if bn:
            scale, shift = self.batchnorm(cout)
            inputs += [self.const(w * scale[:, None, None, None]), self.const(shift)]
        else:
            inputs += [self.const(w)]
        return self.op("Conv", inputs, kernel_shape=[k, k], strides=[stride, stride], pads=[k // 2] * 4)

    def cell(self, x, c, size, edges):
        nodes = [x]
        for j in (1, 2, 3):
            terms = []
            for e in edges:
                if e["to"] != j or e["op"] == "none":
                    continue
                src = nodes[e["from"]]
                if e["op"] == "skip_connect":
                    terms.append(src)
                elif e["op"] == "avg_pool_3x3":
                    terms.append(self.op("AveragePool", [src], kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1],
                                         count_include_pad=0))
                elif e["op"] in ("nor_conv_1x1", "nor_conv_3x3"):
                    terms.append(self.conv(src, c, c, 1 if e["op"] == "nor_conv_1x1" else 3))
                else:
                    raise ValueError(f"unknown op {e['op']!r}")
            if not terms:
                nodes.append(self.const(np.zeros((1, c, size, size))))  # a node with only `none` edges is zero
            elif len(terms) == 1:
                nodes.append(terms[0])
            else:
                nodes.append(self.op("Sum", terms))
        return nodes[3]

    def network(self, request):
        _, _, size, _ = request["input"]
        c = request["channels"]
        h = self.conv("x", 3, c, 3, relu=False)
        for stack in range(3):
            if stack > 0:
                a = self.conv(h, c, 2 * c, 3, stride=2)
                b = self.conv(a, 2 * c, 2 * c, 3)
                pooled = self.op("AveragePool", [h], kernel_shape=[2, 2], strides=[2, 2])
                shortcut = self.conv(pooled, c, 2 * c, 1, relu=False, bn=False)
                h, c, size = self.op("Add", [b, shortcut]), 2 * c, size // 2
            for _ in range(request["cells_per_stack"]):
                h = self.cell(h, c, size, request["edges"])
        scale, shift = self.batchnorm(c)
        h = self.op("Add", [self.op("Mul", [h, self.const(scale.reshape(1, c, 1, 1))]), self.const(shift.reshape(1, c, 1, 1))])
        h = self.op("Flatten", [self.op("GlobalAveragePool", [self.op("Relu", [h])])])
        classes = request["classes"]
        bound = 1 / np.sqrt(c)
        w, b = self.rng.uniform(-bound, bound, (classes, c)), self.rng.uniform(-bound, bound, classes)
        logits = self.op("Gemm", [h, self.const(w), self.const(b)], transB=1)
        graph = helper.make_graph(
            self.nodes, "nb201",
            [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, request["input"])],
            [helper.make_tensor_value_info(logits, onnx.TensorProto.FLOAT, [1, classes])], self.weights)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        model.ir_version = 8  # what ONNX Runtime releases of the last years all read
        onnx.checker.check_model(model)
        return model


def time_model(model, request):
    options = ort.SessionOptions()
    options.intra_op_num_threads = request["threads"]
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(request["seed"] + 1).uniform(-1, 1, request["input"]).astype(np.float32)
    for _ in range(request["warmup"]):
        session.run(None, {"x": x})
    runs = []
    for _ in range(request["runs"]):
        run = []
        for _ in range(request["per_run"]):
            start = time.perf_counter()
            session.run(None, {"x": x})
            run.append(time.perf_counter() - start)
        runs.append(run)
    return runs


def main():
    print(json.dumps({"device": f"ONNX Runtime {ort.__version__} CPU, {platform.machine()} {platform.processor() or ''}".strip()}),
          flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            reply = {"id": request["id"], "runs": time_model(Graph(request["seed"]).network(request), request)}
        except Exception as e:  # one model's failure is a reply, not the end of the runner
            reply = {"id": request["id"], "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
