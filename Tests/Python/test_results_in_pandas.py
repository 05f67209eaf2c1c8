"""brpsh's results read in Python (docs/python.md): every artefact brpsh writes loads into pandas with the types a
researcher expects, numbers as numbers, one value per cell. Run by Tests/REPLTests/PythonResultsTests.swift with
BRPSH naming the binary; by hand: BRPSH=.build/debug/brpsh python3 -m unittest -v Tests/Python/test_results_in_pandas.py
"""
import json
import os
import subprocess
import tempfile
import unittest

import pandas as pd
from pandas.api import types

BRPSH = os.environ.get("BRPSH", "brpsh")

SCRIPT = """
r = random_search(budget: 60, runs: 3, seed: 1)
e = evolve(budget: 60, pool: 10, sample: 3, runs: 3, seed: 1)
c = compare(r, e)
save(c, "compare.csv")
save(r, "search.csv")
c
"""

SWEEP = """
seed = 1
budget = 20
r = random_search(budget: budget, seed: seed)
print(r.best)
{best: r.best, budget: budget}
"""


def brpsh(*args, cwd):
    p = subprocess.run([BRPSH, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise AssertionError(f"brpsh {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p.stdout


class ResultsInPandas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        env_cache = os.path.join(cls.dir, "cache")
        os.environ["BRPSH_CACHE"] = env_cache
        with open(os.path.join(cls.dir, "run.brp"), "w") as f:
            f.write(SCRIPT)
        brpsh("run.brp", "--out", "bundle", cwd=cls.dir)
        brpsh("-c", 'r = random_search(budget: 6, seed: 2, evaluate: fn(a) { 90.5 }, dir: "search1")', cwd=cls.dir)
        with open(os.path.join(cls.dir, "sweep.brp"), "w") as f:
            f.write(SWEEP)
        brpsh("sweep", "sweep.brp", "--over", "seed=1..3", "--over", "budget=10,20", "--out", "sw", "--local", "1", "-q",
              cwd=cls.dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def test_compare_csv(self):
        c = pd.read_csv(self.path("bundle", "compare.csv"))
        self.assertEqual(list(c.columns), ["search", "runs", "models", "best_mean", "best_std", "at_optimum",
                                           "runs_at_optimum",
                                           "models_to_optimum_mean"])
        for col in ["best_mean", "best_std"]:
            self.assertTrue(types.is_float_dtype(c[col]), (col, c[col].dtype))
        for col in ["models", "at_optimum", "runs_at_optimum"]:
            self.assertTrue(types.is_integer_dtype(c[col]), (col, c[col].dtype))
        self.assertEqual(sorted(c[c.search == "random"].models), [10, 25, 50, 60])  # the final budget is a row

    def test_search_csv(self):
        s = pd.read_csv(self.path("bundle", "search.csv"))
        self.assertEqual(len(s), 180)  # 3 runs of 60 models, one row each
        for col in ["seed", "model", "arch"]:
            self.assertTrue(types.is_integer_dtype(s[col]), (col, s[col].dtype))
        for col in ["accuracy", "best"]:
            self.assertTrue(types.is_float_dtype(s[col]), (col, s[col].dtype))
        self.assertTrue(types.is_bool_dtype(s["feasible"]))
        self.assertTrue((s.groupby("seed").best.max() >= 70).all())

    def test_results_and_provenance_json(self):
        with open(self.path("bundle", "results.json")) as f:
            results = json.load(f)
        self.assertIn("displays", results)
        rows = pd.DataFrame(results["displays"][0])  # the comparison shown: its rows
        self.assertEqual(len(rows), 2)
        with open(self.path("bundle", "provenance.json")) as f:
            provenance = json.load(f)
        calls = pd.DataFrame(provenance["calls"])
        self.assertIn("random_search", set(calls.builtin))

    def test_search_journal(self):
        j = pd.read_json(self.path("search1", "journal.jsonl"), lines=True)
        outcomes = j[j.event == "result"]
        self.assertEqual(len(outcomes), 6)
        self.assertTrue(types.is_float_dtype(outcomes.accuracy), outcomes.accuracy.dtype)
        self.assertEqual(set(outcomes.accuracy), {90.5})

    def test_sweep_summary(self):
        s = pd.read_csv(self.path("sw", "merged", "summary.csv"))
        self.assertEqual(list(s.columns), ["budget", "value", "unit", "mean", "std", "n", "min", "max"])
        self.assertTrue(types.is_integer_dtype(s["budget"]), s["budget"].dtype)
        for col in ["mean", "std", "min", "max"]:
            self.assertTrue(types.is_float_dtype(s[col]), (col, s[col].dtype))
        self.assertTrue((s["n"] == 3).all())
        best = s[s.value.str.endswith("best")]
        self.assertEqual(sorted(best.budget), [10, 20])  # the displayed record's best, per budget


if __name__ == "__main__":
    unittest.main()
