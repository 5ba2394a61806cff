"""The README's Python example runs as written, from the project root."""

import doctest
import os

from .conftest import ROOT


def test_readme_examples_run():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = doctest.testfile(str(ROOT / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    finally:
        os.chdir(cwd)
    assert result.attempted >= 6
    assert result.failed == 0
