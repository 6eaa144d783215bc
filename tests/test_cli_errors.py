"""Command-line errors come first and fast: bad paths and values are refused before the pipeline
loads, and the README's Python code runs as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DRAGOMAN = [sys.executable, "-m", "dragoman.cli"]


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DRAGOMAN, *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, **(env or {})})


def test_readme_python_blocks_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pipeline) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert blocks
    shutil.copy(ROOT / "examples" / "sahel-attack.txt", tmp_path / "article.txt")
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        scope: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), scope)  # noqa: S102 - the README's own code
        assert "result" not in scope or scope["result"].events  # type: ignore[attr-defined]


def test_the_package_gives_the_analyse_function_even_after_its_module_was_imported() -> None:
    code = ("import dragoman.analyse, sys\nfrom dragoman import analyse, analyze\n"
            "assert callable(analyse) and analyse is analyze and analyse.__name__ == 'analyse'\n"
            "assert 'spacy' not in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_a_missing_file_is_reported_before_the_pipeline_loads(tmp_path: Path) -> None:
    # An unloadable model proves the pipeline was never built: only the path error can appear.
    proc = run("analyze", "nosuch.txt", cwd=tmp_path, env={"DRAGOMAN_MODEL": "no_such_model_package"})
    assert proc.returncode == 1
    assert "nosuch.txt: no such file" in proc.stderr and "model" not in proc.stderr
    proc = run("analyze", str(tmp_path), cwd=tmp_path, env={"DRAGOMAN_MODEL": "no_such_model_package"})
    assert proc.returncode == 1 and "is a folder" in proc.stderr


def test_a_missing_file_is_reported_before_the_ingest_layer_is_imported() -> None:
    # httpx, numpy and the store cost seconds of imports on a busy machine; a typo needs none of them.
    code = ("import sys\nfrom dragoman.cli import main\nassert main(['analyze', 'nosuch.txt']) == 1\n"
            "heavy = [m for m in ('httpx', 'numpy', 'spacy', 'dragoman.store', 'dragoman.ingest', 'dragoman.nlp')"
            " if m in sys.modules]\nassert not heavy, heavy\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "nosuch.txt: no such file" in proc.stderr


def test_a_publication_date_that_names_no_day_is_refused_whole(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Troops shelled the town on Monday.", encoding="utf-8")
    proc = run("analyze", "--published", "sometime last spring", "a.txt", cwd=tmp_path,
               env={"DRAGOMAN_MODEL": "no_such_model_package"})
    assert proc.returncode == 2 and "'sometime last spring'" in proc.stderr


def test_ingesting_a_missing_path_fails_and_creates_no_database(tmp_path: Path) -> None:
    proc = run("ingest", "nosuchdir/", "--db", "corpus.db", cwd=tmp_path)
    assert proc.returncode != 0 and "nosuchdir/" in proc.stderr
    assert not (tmp_path / "corpus.db").exists() and not (tmp_path / "dragoman.db").exists()


def test_kb_lookup_exit_code_tells_a_miss_from_a_hit() -> None:
    miss = run("kb", "lookup", "xyzzy")
    assert miss.returncode == 1 and "nothing known about 'xyzzy'" in miss.stderr
    assert run("kb", "lookup", "--json", "xyzzy").returncode == 1
    hit = run("kb", "lookup", "Kataib Hezbollah")
    assert hit.returncode == 0 and "Kataib Hezbollah" in hit.stdout


def test_batch_and_load_refuse_a_missing_path_before_starting(tmp_path: Path) -> None:
    # An unloadable model proves no worker built a pipeline; nothing is written for the typo.
    env = {"DRAGOMAN_MODEL": "no_such_model_package"}
    proc = run("batch", "nosuch.jsonl", "-o", "shards", cwd=tmp_path, env=env)
    assert proc.returncode == 2 and "no such file or folder: nosuch.jsonl" in proc.stderr, proc.stderr
    assert not (tmp_path / "shards").exists()
    proc = run("batch", "nosuch.jsonl", "--db", "corpus.db", cwd=tmp_path, env=env)
    assert proc.returncode == 2 and not (tmp_path / "corpus.db").exists()
    proc = run("load", "nosuch.parquet", "--db", "corpus.db", cwd=tmp_path, env=env)
    assert proc.returncode == 2 and "nosuch.parquet" in proc.stderr and not (tmp_path / "corpus.db").exists()
