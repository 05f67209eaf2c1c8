"""The brpsh Jupyter kernel driven by Jupyter's own client (jupyter_client) and conformance tests
(jupyter_kernel_test), and a notebook executed headless with nbclient.

Run by Tests/REPLTests/KernelTests.swift with BRPSH_KERNEL_PATH pointing at a Jupyter data directory where
`brpsh kernel install --prefix` put the kernelspec (JUPYTER_PATH), or by hand:
    JUPYTER_PATH=DIR/share/jupyter python3 -m unittest -v Tests/Kernel/test_kernel.py
"""
import os
import time
import unittest

import jupyter_client
import jupyter_kernel_test
import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


class BrpshKernelTests(jupyter_kernel_test.KernelTests):
    """The Jupyter project's kernel conformance tests."""
    kernel_name = "brpsh"
    language_name = "brpsh"
    file_extension = ".brp"
    code_hello_world = 'print("hello, world")'
    code_stderr = 'warn("careful")'  # warnings (a failed training, a cached result) reach the cell as stderr
    completion_samples = [{"text": "gcn(dev", "matches": {"device:"}}, {"text": "rang", "matches": {"range"}}]
    complete_code_samples = ["1 + 1", "x = [1, 2]", "fn f(a) { a }"]
    incomplete_code_samples = ["x = [1,", "fn f(a) {", "y = 2 +"]
    invalid_code_samples = ["x = )", "1 +* 2"]
    code_inspect_sample = "len"
    code_execute_result = [{"code": "6 * 7", "result": "42"}, {"code": "1ms + 250us", "result": "1.25ms"}]
    code_display_data = [{"code": "display(plot(x: [1, 2], y: [3, 4]))", "mime": "image/svg+xml"},
                         {"code": "display([{a: 1}])", "mime": "text/html"}]
    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")


class Session:
    """One kernel and a helper that runs a cell and collects its IOPub messages."""

    def __init__(self):
        self.km, self.kc = jupyter_client.manager.start_new_kernel(kernel_name="brpsh", startup_timeout=60)

    def run(self, code, timeout=60):
        msg_id = self.kc.execute(code)
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        outputs = []
        while True:
            m = self.kc.get_iopub_msg(timeout=timeout)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return reply["content"], outputs
            if m["msg_type"] != "status":
                outputs.append((m["msg_type"], m["content"]))

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)


class BrpshBehaviourTests(unittest.TestCase):
    """Values, tables, figures, errors, completion, inspection, interrupts and restarts."""

    @classmethod
    def setUpClass(cls):
        cls.s = Session()

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def test_values_stream_and_state(self):
        reply, out = self.s.run('x = 40\nprint("two")\nx + 2')
        self.assertEqual(reply["status"], "ok")
        self.assertIn(("stream", {"name": "stdout", "text": "two\n"}), out)
        results = [c for t, c in out if t == "execute_result"]
        self.assertEqual(results[-1]["data"]["text/plain"], "42")
        self.assertEqual(results[-1]["execution_count"], reply["execution_count"])
        reply, out = self.s.run("x * 2")  # variables stay between cells
        self.assertEqual([c for t, c in out if t == "execute_result"][0]["data"]["text/plain"], "80")

    def test_warnings_are_the_cells_stderr(self):
        reply, out = self.s.run('warn("slow", 3)\nprint("after")')
        self.assertEqual(reply["status"], "ok")
        self.assertIn(("stream", {"name": "stderr", "text": "warning: slow 3\n"}), out)
        self.assertIn(("stream", {"name": "stdout", "text": "after\n"}), out)

    def test_table_as_html(self):
        _, out = self.s.run("[{seed: 1, latency: 1ms}, {seed: 2, latency: 2ms}]")
        data = [c for t, c in out if t == "execute_result"][0]["data"]
        self.assertIn("<table>", data["text/html"])
        self.assertIn("<th>latency</th>", data["text/html"])
        self.assertIn("seed", data["text/plain"])

    def test_plot_inline_as_svg(self):
        _, out = self.s.run("plot(x: [1, 2, 3], y: [3, 1, 2], title: \"t\")")
        data = [c for t, c in out if t == "execute_result"][0]["data"]
        self.assertTrue(data["image/svg+xml"].lstrip().startswith("<svg") or "<svg" in data["image/svg+xml"])

    def test_display_several_and_saved_figures(self):
        _, out = self.s.run('display(1, [{a: 1}])\nsave(plot(x: [1, 2], y: [2, 1]), "brpsh-kernel-test.svg")')
        shown = [c["data"] for t, c in out if t in ("execute_result", "display_data")]
        self.assertEqual(shown[0]["text/plain"], "1")
        self.assertIn("text/html", shown[1])
        self.assertTrue(any("image/svg+xml" in d for d in shown[2:]), shown)
        if os.path.exists("brpsh-kernel-test.svg"):
            os.remove("brpsh-kernel-test.svg")

    def test_wrongly_signed_messages_are_dropped(self):
        info = self.s.km.get_connection_info()
        info["key"] = b"not-the-key"
        bad = jupyter_client.BlockingKernelClient()
        bad.load_connection_info(info)
        bad.start_channels()
        try:
            bad.execute("dropped = 1")
            with self.assertRaises(Exception):  # no reply: the message was never executed
                bad.get_shell_msg(timeout=3)
        finally:
            bad.stop_channels()
        reply, _ = self.s.run("dropped")
        self.assertEqual(reply["status"], "error")

    def test_one_execute_result_per_cell(self):
        """display() sends display_data; the cell's own result is its one execute_result."""
        reply, out = self.s.run("display(1, 2)\n3")
        self.assertEqual([c["data"]["text/plain"] for t, c in out if t == "display_data"], ["1", "2"])
        results = [c for t, c in out if t == "execute_result"]
        self.assertEqual([c["data"]["text/plain"] for c in results], ["3"])
        self.assertEqual(results[0]["execution_count"], reply["execution_count"])
        _, out = self.s.run("4\n5")  # several results: the earlier ones are displays, in order
        self.assertEqual([(t, c["data"]["text/plain"]) for t, c in out if t in ("display_data", "execute_result")],
                         [("display_data", "4"), ("execute_result", "5")])
        _, out = self.s.run("shown = display(6)")
        self.assertEqual([t for t, _ in out if t in ("display_data", "execute_result")], ["display_data"])

    def test_figure_text_is_the_terminal_chart(self):
        _, out = self.s.run("plot(x: [1, 2, 3], y: [3, 1, 2], title: \"tt\")")
        text = [c for t, c in out if t == "execute_result"][0]["data"]["text/plain"]
        self.assertIn("tt", text)
        self.assertGreater(text.count("\n"), 5, text)
        self.assertNotIn("\x1b[", text)

    def test_exit_asks_the_frontend_to_leave(self):
        reply, _ = self.s.run("exit")
        self.assertEqual(reply["status"], "ok")
        self.assertIn({"source": "ask_exit", "keepkernel": False}, reply["payload"])
        reply, _ = self.s.run("1 + 1")  # a notebook keeps the kernel
        self.assertEqual(reply["status"], "ok")

    def test_replayed_message_runs_once(self):
        """A byte-identical replay of a signed execute_request is dropped, as jupyter_client's digest history does."""
        import zmq
        self.s.run("replayed = 0")
        info = self.s.km.get_connection_info()
        session = jupyter_client.session.Session(key=info["key"], signature_scheme=info["signature_scheme"])
        msg = session.msg("execute_request", {"code": "replayed = replayed + 1", "silent": False, "store_history": True,
                                              "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        frames = session.serialize(msg)
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.linger = 0
        sock.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
        try:
            sock.send_multipart(frames)
            sock.send_multipart(frames)
            replies = 0
            poller = zmq.Poller()
            poller.register(sock, zmq.POLLIN)
            while poller.poll(3000):
                sock.recv_multipart()
                replies += 1
            self.assertEqual(replies, 1)
        finally:
            sock.close()
        _, out = self.s.run("replayed")
        self.assertEqual([c for t, c in out if t == "execute_result"][0]["data"]["text/plain"], "1")

    def test_cursor_positions_out_of_range(self):
        for code, pos in (("gcn(dev", -5), ("gcn(dev", 10 ** 6), ("", -1), ("x", 2 ** 62)):
            c = self.s.kc.complete(code, pos, reply=True, timeout=30)["content"]
            self.assertEqual(c["status"], "ok")
            i = self.s.kc.inspect(code, pos, reply=True, timeout=30)["content"]
            self.assertEqual(i["status"], "ok")
        reply, _ = self.s.run("1 + 1")  # the kernel is alive
        self.assertEqual(reply["status"], "ok")

    def test_repl_commands_in_cells(self):
        """`:reset` and `:vars` on lines of their own run in order with the code around them, as IPython's magics."""
        reply, out = self.s.run("gone = 1\n:reset\nkept_after = 2\n:vars")
        self.assertEqual(reply["status"], "ok", reply)
        text = "".join(c["text"] for t, c in out if t == "stream")
        self.assertIn("variables cleared", text)
        self.assertIn("kept_after", text)
        self.assertNotIn("gone", text.split("variables cleared")[1])
        reply, _ = self.s.run("gone")
        self.assertEqual(reply["status"], "error")

    def test_error_with_position(self):
        self.s.run("y = 1")
        reply, out = self.s.run("w = 5\nz = y +* 2")
        self.assertEqual(reply["status"], "error")
        errors = [c for t, c in out if t == "error"]
        self.assertEqual(len(errors), 1)
        self.assertRegex(errors[0]["evalue"], r"^In\[\d+\]:2:\d+: error: ")
        self.assertTrue(any(line.strip().startswith("^") for line in errors[0]["traceback"]), errors[0]["traceback"])
        reply, _ = self.s.run("y")  # the session is intact; a cell with a syntax error runs nothing
        self.assertEqual(reply["status"], "ok")
        reply, _ = self.s.run("w")
        self.assertEqual(reply["status"], "error")

    def test_runtime_error_keeps_session(self):
        self.s.run("kept = 7")
        reply, out = self.s.run("kept2 = 1\n1 / 0")
        self.assertEqual(reply["status"], "error")
        self.assertIn("division by zero", reply["evalue"])
        _, out = self.s.run("kept + kept2")
        self.assertEqual([c for t, c in out if t == "execute_result"][0]["data"]["text/plain"], "8")

    def test_complete_inspect_is_complete(self):
        c = self.s.kc.complete("gcn(dev", 7, reply=True, timeout=30)["content"]
        self.assertIn("device:", c["matches"])
        self.assertEqual((c["cursor_start"], c["cursor_end"]), (4, 7))
        i = self.s.kc.inspect("gcn(", 4, reply=True, timeout=30)["content"]
        self.assertTrue(i["found"])
        self.assertIn("latency predictor", i["data"]["text/plain"])
        self.s.kc.is_complete("x = [1,")
        r = self.s.kc.get_shell_msg(timeout=30)["content"]
        self.assertEqual(r["status"], "incomplete")

    def test_interrupt_a_long_cell(self):
        self.s.run("counter = 0")
        msg_id = self.s.kc.execute("while true { counter = counter + 1 }")
        time.sleep(1.5)
        self.s.km.interrupt_kernel()
        reply = self.s.kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.s.kc.get_shell_msg(timeout=30)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "KeyboardInterrupt")
        _, out = self.s.run("counter > 0")  # alive, with its variables
        self.assertEqual([c for t, c in out if t == "execute_result"][0]["data"]["text/plain"], "true")


class BrpshRestartTests(unittest.TestCase):
    def test_restart(self):
        s = Session()
        try:
            s.run("before = 1")
            s.km.restart_kernel(now=False)
            s.kc.wait_for_ready(timeout=60)
            reply, out = s.run("before")
            self.assertEqual(reply["status"], "error")  # a fresh session
            _, out = s.run("1 + 1")
            self.assertEqual([c for t, c in out if t == "execute_result"][0]["data"]["text/plain"], "2")
        finally:
            s.close()


class PapermillTests(unittest.TestCase):
    """papermill with the brpsh translator (python/brpsh-papermill), installed into a scratch directory."""

    def test_parameters_of_every_kind(self):
        import subprocess
        import sys
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            import shutil
            site = os.path.join(tmp, "site")
            # Built from a copy: pip writes build/ and egg-info/ next to the sources it builds.
            package = shutil.copytree(os.path.join(ROOT, "python", "brpsh-papermill"), os.path.join(tmp, "package"))
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", site,
                            package], check=True)
            nb = nbformat.v4.new_notebook()
            nb.metadata["kernelspec"] = {"name": "brpsh", "display_name": "brpsh", "language": "brpsh"}
            params = nbformat.v4.new_code_cell('n = 1\nfast = false\nname = "x"\nlabel = "a"\nK = [0]\nnote = ""')
            params.metadata["tags"] = ["parameters"]
            nb.cells = [params, nbformat.v4.new_code_cell("print(n + 1, fast, name, label, K, note)\n"
                                                          "print(type(n), type(fast), type(name), type(K))")]
            src, out = os.path.join(tmp, "nb.ipynb"), os.path.join(tmp, "out.ipynb")
            nbformat.write(nb, src)
            env = dict(os.environ, PYTHONPATH=site + os.pathsep + os.environ.get("PYTHONPATH", ""))
            run = subprocess.run([sys.executable, "-m", "papermill", src, out, "-k", "brpsh", "-p", "n", "100", "-p", "fast", "true",
                                  "-p", "name", "nil", "-p", "label", "m-gpu", "-y", "K: [1, 2]", "-p", "note", 'say "hi"\\n',
                                  "--no-progress-bar"], env=env, capture_output=True, text=True, timeout=300)
            self.assertEqual(run.returncode, 0, run.stderr)
            done = nbformat.read(out, as_version=4)
            injected = [c for c in done.cells if "injected-parameters" in c.metadata.get("tags", [])][0]
            self.assertEqual(sorted(injected.source.splitlines()[1:]), sorted(["n = 100", "fast = true", "name = nil", 'label = "m-gpu"',
                                                                              "K = [1, 2]", 'note = "say \\"hi\\"\\\\n"']))
            text = "".join(o.get("text", "") for c in done.cells for o in c.get("outputs", []) if o.output_type == "stream")
            self.assertIn('101 true nil m-gpu [1, 2] say "hi"\\n', text)
            self.assertIn("int bool nil list", text)


class NotebookTests(unittest.TestCase):
    def test_example_notebook_runs_headless(self):
        path = os.path.join(ROOT, "examples", "notebook", "brp-nas.ipynb")
        nb = nbformat.read(path, as_version=4)
        # The test runs the notebook at toy sizes: the parameters cell is replaced, as papermill would.
        for cell in nb.cells:
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                cell.source = "n = 60\nepochs = 3\nhidden = 16\nK = 10\nM = 12"
        NotebookClient(nb, timeout=600, kernel_name="brpsh").execute()
        nbformat.validate(nb)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        self.assertFalse([o for o in outputs if o.output_type == "error"], outputs)
        # Progress lines are one display updated in place, not a stream of thousands of lines.
        streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
        self.assertNotIn("ETA", streams)
        self.assertTrue(any("image/svg+xml" in o.get("data", {}) for o in outputs))
        # A finished progress display keeps its last line; none is left empty.
        empty = [o for o in outputs if o.output_type == "display_data" and not o.get("data", {}).get("text/plain", "x")]
        self.assertFalse(empty, empty)


if __name__ == "__main__":
    unittest.main()
