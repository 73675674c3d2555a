"""A unittest case with one Lanes kernel for the whole class, started
through jupyter_client, and the helpers the suites share."""
import unittest

import jupyter_client


class KernelCase(unittest.TestCase):
    """Subclasses set SETUP (the first cell, which must succeed) and
    TIMEOUT (seconds a cell may take)."""

    SETUP = ""
    TIMEOUT = 30

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = jupyter_client.manager.start_new_kernel(kernel_name="lanes")
        if cls.SETUP:
            reply = cls.kc.execute_interactive(cls.SETUP, timeout=cls.TIMEOUT)
            assert reply["content"]["status"] == "ok", reply

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=None):
        msgs = []
        reply = self.kc.execute_interactive(code, timeout=timeout or self.TIMEOUT, output_hook=msgs.append)
        return reply["content"], msgs

    def text(self, msgs, name="stdout"):
        return "".join(m["content"]["text"] for m in msgs
                       if m["msg_type"] == "stream" and m["content"]["name"] == name)
