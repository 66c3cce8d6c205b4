"""Checking speed: `sourcebook check` of a generated 10,000-question bank against a bare
``yaml.load`` of the same file with PyYAML's C safe loader (goal: at most 1.5 times)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from .common import Figure, median_time

QUESTIONS = 10_000
# One question of each common shape, cycled, so the bank looks like a teacher's.
TEMPLATES = [
    """  - id: single-{i}
    type: single
    skill: sourcing
    prompt: To whom is report {i} addressed?
    hints: [Read the salutation.]
    choices:
      - text: The Central Committee and Chairman Mao
        correct: true
        feedback: The salutation names them.
      - text: Nikita Khrushchev
        feedback: Nie writes about the Soviet side, not to it.
      - text: Zhou Enlai
        feedback: Zhou annotated the report later.
    evidence: [salutation]
""",
    """  - id: numeric-{i}
    type: numeric
    skill: corroboration
    prompt: How many years from 1917 to 1957? ({i})
    answer: 40
    unit: years
    explanation: Sputnik flew forty years after the revolution.
""",
    """  - id: short-{i}
    type: short
    skill: sourcing
    prompt: Who signed report {i}?
    answers: [Nie Rongzhen, Marshal Nie]
    explanation: The signature names him.
""",
    """  - id: match-{i}
    type: matching
    skill: contextualization
    prompt: Match each person with an office ({i}).
    pairs:
      - {{left: Nie Rongzhen, right: Vice Premier for science}}
      - {{left: Zhou Enlai, right: Premier}}
    distractors: [Head of state]
    explanation: Nie was never Premier.
""",
]


def write_bank(folder: Path, source: Path) -> Path:
    """A 10,000-question bank that checks clean, citing the course's source."""
    body = "".join(TEMPLATES[i % len(TEMPLATES)].format(i=i) for i in range(QUESTIONS))
    path = folder / "big.yml"
    # A bank's source must be a file of its own course: a copy beside it.
    shutil.copyfile(source, folder / source.name)
    path.write_text(f"title: Ten thousand questions\nsource: {source.name}\nquestions:\n{body}", encoding="utf-8")
    return path


def run(root: Path) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        bank = write_bank(Path(tmp), root / "sources" / "nie-rongzhen-1960.yml")
        check_cmd = [sys.executable, "-m", "sourcebook.cli", "check", str(bank)]
        load_cmd = [sys.executable, "-c",
                    "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)", str(bank)]
        first = subprocess.run(check_cmd, capture_output=True, text=True)
        if first.returncode != 0:
            raise RuntimeError(f"the generated bank does not check clean:\n{first.stdout[:2000]}")
        assert yaml.__with_libyaml__, "PyYAML without libyaml: the baseline would not be the C loader"
        check = median_time(lambda: subprocess.run(check_cmd, check=True, capture_output=True))
        load = median_time(lambda: subprocess.run(load_cmd, check=True, capture_output=True))
        size = bank.stat().st_size
    return [Figure(
        name=f"sourcebook check, {QUESTIONS:,} questions ({size / 1e6:.1f} MB)",
        value=check, baseline_name="yaml.load, C safe loader", baseline=load, unit="s", goal=1.5,
        note="whole processes: start-up, read, parse, build the model, every check",
    )]
