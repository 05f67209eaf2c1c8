"""Generates pickles for PickleDifferentialTests: one line per case, `name<TAB>hex of the pickle<TAB>canonical form`
of what Python's pickle.loads reads back. The canonical form is written the same way by the Swift test."""
import pickle, struct, sys

def canon(x):
    if x is None: return "None"
    if x is True: return "True"
    if x is False: return "False"
    if isinstance(x, int): return "i" + str(x)
    if isinstance(x, float): return "f" + format(struct.unpack("<Q", struct.pack("<d", x))[0], "x")
    if isinstance(x, str): return "s" + x.encode("utf-8").hex()
    if isinstance(x, bytes): return "b" + x.hex()
    if isinstance(x, list): return "[" + ",".join(canon(v) for v in x) + "]"
    if isinstance(x, tuple): return "(" + ",".join(canon(v) for v in x) + ")"
    if isinstance(x, dict): return "{" + ",".join(canon(k) + ":" + canon(v) for k, v in x.items()) + "}"
    if hasattr(x, "dtype"): return canon(float(x))  # a numpy scalar reads as a number
    raise TypeError(type(x))

def latbench(n, value):
    archs = [tuple((i // 5 ** k) % 5 for k in range(6)) for i in range(n)]
    return {a: value(i) for i, a in enumerate(archs)}

cases = {
    "latbench_1200": latbench(1200, lambda i: 0.0111 + i * 1e-6),  # several SETITEMS batches
    "shared_tuple": (lambda t: {"a": t, "b": t, "c": [t, t]})((1, 2, 3)),
    "shared_list_in_batch": (lambda l: {"a": l, "b": l})([1.5, 2.5]),
    "shared_strings": {"x": "same", "y": "same", "z": ["same", "other", "other"]},
    "nested_filled": {"x": {"y": [1.5, "z", {"w": (1, "z")}]}, "w": "z", "v": [[], {}, ()]},
    "memo_after_nested": [{"k": [i, str(i)]} for i in range(40)] + ["k", "0"],
    "scalars": [None, True, False, 0, -1, 255, 256, 65535, 65536, -2**31, 2**31, 2**62, -2**63,
                0.0, -0.0, 1e308, 5e-324, float("inf"), float("-inf"), "", "é∑", "x" * 300, b"", b"\x00\xff" * 200],
    "nested_50": (lambda: [x for x in [None] for _ in range(1)] and __import__("functools").reduce(lambda a, _: [a], range(50), 1))(),
}
try:
    import numpy as np
    cases["numpy_table"] = latbench(30, lambda i: np.float64(0.0111 + i * 1e-6))
    cases["numpy_widths"] = [np.float64(1.1), np.float32(2.5), np.float16(0.5), np.int64(-3), np.int32(7),
                             np.int16(-2), np.int8(5), np.uint64(2**60), np.uint32(9), np.uint16(4), np.uint8(200)]
except ImportError:
    print("numpy missing", file=sys.stderr)

for name, obj in cases.items():
    for protocol in (2, 3, 4, 5):
        b = pickle.dumps(obj, protocol=protocol)
        assert canon(pickle.loads(b)) == canon(obj)
        print(f"{name}/p{protocol}\t{b.hex()}\t{canon(pickle.loads(b))}")
