#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (Fuzz/corpus/<target>/): small, synthetic inputs in each format, made
with Python's own pickle and zipfile. Deterministic; rerun after changing it. (The parser and interpreter targets
also read Tests/Scripts as seeds; scripts/fuzz passes it.)"""
import io, os, pickle, zipfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

scripts = {
    "units.brp": "t = 1ms..7ms step 0.1\nprint(len(t), t[-1], 1ms + 250us == 1.25ms)\n",
    "functions.brp": "fn f(a, b: 2) { if a > b { a } else { b } }\nmap([1, 3]) { x -> f(x) }\n",
    "records.brp": "r = {K: 50, alpha: 0.5}\nfor k in keys(r) { print(\"\\(k)=\\(r[k])\") }\n",
    "errors.brp": "x = [1, 2\ny = 3 +\nz = \"\\(\"a\\(1)\")\"\n",
    "loops.brp": "s = 0\nwhile s < 10 { s += 3 }\nfor i in 1..3 { s = s * i }\nprint(s ** 2, -s % 4, s / 7)\n",
}
for name, text in scripts.items():
    for target in ("parser", "interpreter"):
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "w") as f:
            f.write(text)

def write(target, name, data):
    d = os.path.join(root, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

values = [
    {(1, 2, 3, 4, 0, 1): 0.00125, (4, 3, 2, 1, 1, 0): 0.0031},
    [1.5, 2.25, 3, None, True, "x"],
    {"a": [1, 2, (3, 4)], "b": {"c": 2 ** 40, "d": -7}},
    [[[]], (), {}, b"bytes", "\u00e9\u4e2d"],
    list(range(300)),
    {i: float(i) / 7 for i in range(40)},
]
for proto in (2, 3, 4, 5):
    for i, v in enumerate(values):
        write("unpickler", f"p{proto}-{i}.pickle", pickle.dumps(v, protocol=proto))
try:
    import numpy as np
    write("unpickler", "numpy-scalar.pickle", pickle.dumps({(1, 1, 1, 1, 1, 1): np.float64(0.002)}, protocol=3))
except ImportError:
    pass

def pt(payload, name="archive"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(f"{name}/data.pkl", payload)
        z.writestr(f"{name}/version", b"3\n")
    return buf.getvalue()

write("torch", "list.pt", pt(pickle.dumps([2.5, 3.25, 1.0] * 20, protocol=2)))
write("torch", "dict.pt", pt(pickle.dumps({"|nor_conv_3x3~0|+|none~0|skip_connect~1|": 3}, protocol=2), "str_arch2idx"))
write("torch", "ints.pt", pt(pickle.dumps(list(range(100)), protocol=2)))

csvs = {
    0: "CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,ImageNetTestAccuracy200Epochs,ArchitectureString,UniqueString\n"
       "85.3,60.1,33.2,|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|,abc\n",
    1: "net,net_str,val_accs\n\"(4, 3, 3, 0, 0, 0)\",|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|,84.5\n",
    2: "net,flops,params,synflow,jacov\n\"(4, 3, 3, 0, 0, 0)\",16.3,0.129,1e3,-12.5\n",
    3: "net,edgegpu_latency,edgegpu_energy,raspi4_latency,edgetpu_latency,pixel3_latency,eyeriss_latency,eyeriss_energy,"
       "eyeriss_arithmetic_intensity,fpga_latency,fpga_energy\n\"(4, 3, 3, 0, 0, 0)\",5.8,20.1,10,-1,3,1,2,3,4,5\n",
}
for selector, text in csvs.items():
    write("csv", f"file{selector}.csv", bytes([selector]) + text.encode())
    write("csv", f"reader{selector}.csv", bytes([0x80 | selector]) + text.encode())
write("csv", "quoted.csv", bytes([0]) + b'a,"b ""q"", c",d\r\n1,2,3\r\n')

spaces = {
    "edges.txt": "|conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|conv_3x3~1|none~2|",
    "nodes.txt": '{"adjacency": [[0,1,1,0],[0,0,0,1],[0,0,0,1],[0,0,0,0]], "ops": ["input", "conv3x3", "maxpool", "output"]}',
    "nodes-unpruned.txt": '{"adjacency": [[0,1,0,1],[0,0,0,0],[0,0,0,1],[0,0,0,0]], "ops": ["input", "conv1x1", "maxpool", "output"]}',
    "inputs.txt": "normal=sep_conv_3x3~1,skip_connect~0|sep_conv_3x3~0,sep_conv_3x3~2|skip_connect~3,sep_conv_3x3~1;"
                  "reduce=skip_connect~0,skip_connect~1|sep_conv_3x3~0,skip_connect~2|sep_conv_3x3~0,sep_conv_3x3~3",
    "choices.txt": "width=16,kernel=3|width=24,kernel=7|width=16,kernel=5",
}
for name, text in spaces.items():
    write("spaces", name, text.encode())
