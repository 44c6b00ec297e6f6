"""How long `studygen check` takes on a 10,000-question bank (issue 2 goal: under 2 s).

The bank is made of the bundled bank's own questions (question_banks/seoul-moscow.yaml:
real stems, options, explanations and refs, about 0.85 KiB each), repeated with fresh ids
and numbered stems until there are 10,000, over the bundled bank's facts, arguments and
reading: a realistic 8.4 MiB file, which the default `max_bank_size` (32 MiB) admits.
`--synthetic` uses the older generated questions (shorter, random words) instead.

The figure alone says little on an unknown machine, so the same run also times
two baselines over the very same file: libyaml's plain `yaml.load` (CSafeLoader,
the floor for any YAML-reading checker) and `json.loads` of the same data.
It also times what a user waits for: `studygen check FILE` as a command, a new
process each time (interpreter start, imports, printing the warnings, exit).
The goal is met when both the in-process check and the command take under 2 s.
Run: `python3 benchmarks/bench_check.py [--questions N] [--repeat R] [--synthetic]`.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUNDLED = ROOT / "question_banks" / "seoul-moscow.yaml"

GOAL_SECONDS = 2.0
_SYLLABLES = ["ka", "mo", "ri", "sen", "tal", "vu", "ne", "os", "pra", "lin", "du", "che", "ga", "bor", "is", "te"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def make_bank(n_questions: int, seed: int = 1) -> tuple[dict[str, Any], str]:
    """A valid bank with `n_questions` questions of every type, and its reading text.

    Facts and arguments scale with the questions (one fact per four questions,
    one argument per twenty), every quote is in the reading, and stems are
    drawn from a large vocabulary so they are as varied as real ones.
    """
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 4000)

    def sentence(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n))

    n_facts = max(1, n_questions // 4)
    n_args = max(1, n_questions // 20)
    facts = [
        {"id": f"F{i}", "statement": sentence(10) + ".", "quotes": [sentence(12)], "topics": ["t1"]}
        for i in range(n_facts)
    ]
    arguments = [
        {
            "id": f"A{i}",
            "claim": sentence(9) + ".",
            "holder": "the author",
            "role": "premise",
            "quotes": [sentence(14)],
            "supported_by": [f"F{rng.randrange(n_facts)}"],
        }
        for i in range(n_args)
    ]
    reading = "\n\n".join(q + "." for item in facts + arguments for q in item["quotes"]) + "\n"
    kinds = ["single_choice", "multiple_response", "true_false", "short_answer", "matching", "ordering"]
    kinds += ["fill_blank", "essay"]
    questions = []
    for i in range(n_questions):
        kind = kinds[i % len(kinds)]
        q: dict[str, Any] = {
            "id": f"Q{i}",
            "type": kind,
            "stem": sentence(12) + "?",
            "explanation": sentence(15) + ".",
            "refs": [f"F{i % n_facts}"] + ([f"A{i % n_args}"] if i % 3 == 0 else []),
            "topics": ["t1"],
            "difficulty": 1 + i % 3,
            "bloom": "understand",
        }
        if kind in ("single_choice", "multiple_response"):
            right = rng.randrange(4)
            q["options"] = [
                {"text": sentence(5), "correct": j == right or (kind != "single_choice" and j == 0)} for j in range(4)
            ]
        elif kind == "true_false":
            q["answer"] = i % 2 == 0
        elif kind == "short_answer":
            q["accepted"] = [sentence(2), sentence(2)]
        elif kind == "matching":
            q["pairs"] = [{"left": sentence(3), "right": sentence(3)} for _ in range(3)]
        elif kind == "ordering":
            q["items"] = [sentence(4) for _ in range(4)]
        elif kind == "fill_blank":
            q["text"] = f"{sentence(6)} [[1]] {sentence(4)}."
            q["blanks"] = [{"accepted": [sentence(1)]}]
        else:
            q["guidance"] = sentence(20) + "."
        questions.append(q)
    bank = {
        "format": 1,
        "id": "bench",
        "title": "Benchmark bank",
        "reading": {
            "title": "A generated reading",
            "author": "Nobody",
            "publication": "Nowhere",
            "date": "2024-05-13",
            "text": "reading.txt",
        },
        "topics": [{"id": "t1", "label": "Everything"}],
        "facts": facts,
        "arguments": arguments,
        "questions": questions,
    }
    return bank, reading


def make_realistic_bank(n_questions: int) -> tuple[dict[str, Any], str]:
    """`n_questions` questions like the bundled ones: its own, repeated with new ids and numbered stems."""
    bundled = yaml.load(BUNDLED.read_text("utf-8"), Loader=yaml.CSafeLoader)
    reading = (BUNDLED.parent / bundled["reading"]["text"]).read_text("utf-8")
    originals = bundled["questions"]
    rng = random.Random(1)
    vocab = _vocabulary(rng, 4000)

    def vary(text: str) -> str:
        # Half the words swapped for others: as long as the original, but no near-duplicate of it
        # (real banks do not repeat a question 100 times, and the near-duplicate rule would say so).
        return " ".join(rng.choice(vocab) if w.isalpha() and rng.random() < 0.5 else w for w in text.split(" "))

    questions = []
    for i in range(n_questions):
        q = copy.deepcopy(originals[i % len(originals)])
        round_ = i // len(originals)
        if round_:
            q["id"] = f"{q['id']}-r{round_}"
            q["stem"] = vary(q["stem"])
            if "text" in q:
                q["text"] = vary(q["text"])
        questions.append(q)
    bank = dict(bundled, id="bench", title="Benchmark bank", questions=questions)
    bank["reading"] = dict(bundled["reading"], text="reading.txt")
    if (
        "meta" in bank["reading"]
    ):  # the reading's metadata file, where the bundled bank has it (the bank moves to a temp folder)
        bank["reading"]["meta"] = str((BUNDLED.parent / bundled["reading"]["meta"]).resolve())
    bank.pop("prompts", None)  # discussion prompts are not what grows in a big bank
    return bank, reading


def _best(func: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="best of R runs (default: 3)")
    ap.add_argument("--synthetic", action="store_true", help="generated short questions instead of bundled-like")
    args = ap.parse_args(argv)

    from studygen.check import run_checks
    from studygen.sources.banks import load_banks

    bank, reading = make_bank(args.questions) if args.synthetic else make_realistic_bank(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        text = yaml.safe_dump(bank, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
        (Path(tmp) / "reading.txt").write_text(reading, encoding="utf-8")
        json_text = json.dumps(bank)

        def check() -> None:
            result = load_banks([path])
            if not result.ok or len(result.banks[0].questions) != args.questions:
                raise SystemExit(f"benchmark bank did not load: {result.diagnostics[:3]}")
            errors = [d for d in run_checks(result.banks) if d.severity.value == "error"]
            if errors:
                raise SystemExit(f"benchmark bank has errors: {errors[:3]}")

        check()  # warm caches (schema compilation happens once per process, as in real use)
        t_check = _best(check, args.repeat)
        command = [sys.executable, "-m", "studygen", "check", str(path)]
        t_command = _best(lambda: subprocess.run(command, cwd=ROOT, capture_output=True, check=False), args.repeat)
        t_yaml = _best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), args.repeat)
        t_json = _best(lambda: json.loads(json_text), args.repeat)

    size = len(text.encode("utf-8"))
    n_facts = len(bank["facts"])
    kind = "generated" if args.synthetic else "like the bundled bank's"
    print(
        f"bank: {args.questions} questions {kind}, {n_facts} facts, {len(bank['arguments'])} arguments, "
        f"{size / 2**20:.1f} MiB ({size / args.questions:.0f} bytes per question)"
    )
    print(f"studygen check (load + validate + rules): {t_check:.3f} s (best of {args.repeat})")
    print(f"baseline yaml.load CSafeLoader:           {t_yaml:.3f} s  -> check is {t_check / t_yaml:.2f}x")
    print(f"baseline json.loads of the same data:     {t_json:.3f} s  -> check is {t_check / t_json:.1f}x")
    print(f"`studygen check FILE` as a command:       {t_command:.3f} s (best of {args.repeat}; a new process each)")
    worst = max(t_check, t_command)
    verdict = "meets" if worst < GOAL_SECONDS else "MISSES"
    print(f"goal {GOAL_SECONDS:.1f} s: {verdict} it ({worst / GOAL_SECONDS:.2f} of the budget, the slower of the two)")
    return 0 if worst < GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
