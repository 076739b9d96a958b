import io
import json

import pytest
from django.core.management import CommandError, call_command

LINES = [
    "Redundancies announced in my directorate",
    "Leading the team through the reorganisation",
    "",
    "Budget cuts mean no training money",
    "We must find ten percent savings",
]


def run(*args, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("themes", *args, stdout=out)
    return json.loads(out.getvalue())


def assert_shape(result, line_count):
    assert list(result) == ["themes"]
    for theme in result["themes"]:
        assert list(theme) == ["label", "lines"]
        assert isinstance(theme["label"], str) and theme["label"]
        assert all(isinstance(line, int) for line in theme["lines"])
    assert sorted(i for t in result["themes"] for i in t["lines"]) == list(range(line_count))


def test_file_input(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = run("--input", str(path))
    assert_shape(result, len(LINES))
    assert result == {
        "themes": [
            {"label": "restructures and reorganisation", "lines": [0, 1]},
            {"label": "budget cuts and savings", "lines": [3, 4]},
            {"label": "other", "lines": [2]},
        ]
    }


def test_stdin_input_without_a_final_newline_and_with_windows_line_ends(monkeypatch):
    result = run("--input", "-", stdin="\r\n".join(LINES), monkeypatch=monkeypatch)
    assert_shape(result, len(LINES))
    assert result["themes"][0] == {"label": "restructures and reorganisation", "lines": [0, 1]}


def test_empty_input_prints_no_themes(monkeypatch):
    assert run("--input", "-", stdin="", monkeypatch=monkeypatch) == {"themes": []}


def test_a_blank_last_line_still_counts(monkeypatch):
    result = run("--input", "-", stdin="Budget cuts\nSavings target\n\n", monkeypatch=monkeypatch)
    assert_shape(result, 3)
    assert result["themes"][-1] == {"label": "other", "lines": [2]}


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("themes", "--input", str(tmp_path / "absent.txt"))


def test_non_utf8_file_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 budget\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("themes", "--input", str(path))
