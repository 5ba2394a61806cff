"""JupyterLab as `make lab` starts it."""

import os
import shutil
import subprocess

import pytest

from .conftest import ROOT


@pytest.mark.skipif(not shutil.which("make"), reason="no make")
def test_make_lab_allows_root_only_to_root():
    def lab_command(*user):
        run = subprocess.run([*user, "make", "-n", "-s", "-C", str(ROOT), "lab"], capture_output=True, text=True,
                             timeout=60)
        return next(line for line in run.stdout.splitlines() if "jupyter lab" in line)

    assert ("--allow-root" in lab_command()) == (os.geteuid() == 0)
    if os.geteuid() == 0 and shutil.which("setpriv"):  # and as somebody else
        assert "--allow-root" not in lab_command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
