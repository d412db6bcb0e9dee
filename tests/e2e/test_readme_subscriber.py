"""The README's "Subscribe to placement events" program, run exactly as written there (taken
from the README itself), sees a placement the suite starts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from inclusion_cli.demo import cases
from inclusion_cli.demo.data import KentDemo
from inclusion_cli.demo.suite import Suite
from inclusion_cli.paths import find_repo_root
from inclusion_shared.identifiers import child_id_for

from .conftest import TODAY, placement, registered, the_officer

README = find_repo_root() / "README.md"


def readme_subscriber() -> str:
    """The Python block of the README's "Subscribe to placement events" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Subscribe to placement events", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the section shows one program"
    return str(blocks[0])


class Output:
    """Lines a process prints, collected as they come."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        stream = process.stdout
        self._reader = threading.Thread(target=lambda: self.lines.extend(stream), daemon=True)
        self._reader.start()

    def wait_for(self, *words: str, within: float) -> str:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if all(word in line for word in words):
                    return line
            time.sleep(0.2)
        raise AssertionError(f"no line with {words} within {within}s: {self.lines[-5:]}")


def test_the_readme_subscriber_prints_a_placement_the_suite_starts(
    suite: Suite, kent: KentDemo, kafka: str, unique: str, tmp_path: Path
) -> None:
    program = tmp_path / "subscribe.py"
    program.write_text(readme_subscriber(), encoding="utf-8")
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": kafka, "GROUP_ID": f"readme-{unique}"}
    process = subprocess.Popen(
        [sys.executable, str(program)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = Output(process)
        school = kent.of_kind("mainstream")[1]
        child = child_id_for(f"{kent.prefix}-child-subscribed")
        registered(suite, kent, school.setting_id)
        this_year = cases.academic_year_of(TODAY)
        placed = cases.place(
            suite,
            placement(kent, "readme", child, school.setting_id, 2, this_year),
            TODAY + timedelta(7),
            the_officer(kent),
        )
        assert placed is not None

        line = output.wait_for("placements.placement.started", child, placed[1], within=180)

        assert line.startswith(f"placements.placement.started {child} {{")
        assert f"'setting_id': '{school.setting_id}'" in line
    finally:
        process.terminate()
        process.wait(timeout=30)
