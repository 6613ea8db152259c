"""`mauson ask --jsonl`: every line of a batch gets its output line, a bad one its error."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Invoke


def test_a_bad_line_gets_its_error_and_the_batch_goes_on(catalogue: None, cli: Invoke, tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    lines = [
        json.dumps({"id": "a", "question": "khai sinh cần gì"}),
        "this is not json",
        json.dumps({"question": "đăng ký thường trú"}),  # no id
        json.dumps({"id": "d", "question": " "}),
        "",  # blank: skipped
        json.dumps({"id": "f", "question": "kết hôn mất bao lâu"}, ensure_ascii=False),
        json.dumps({"id": None, "question": "kết hôn mất bao lâu"}, ensure_ascii=False),  # no id to match by
        json.dumps({"id": "a", "question": "lệ phí khai sinh"}, ensure_ascii=False),  # a's id again
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = cli("ask", "--jsonl", str(batch))

    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["id"] for x in out] == ["a", None, None, "d", "f", None, "a"], "one output line per non-blank line"
    assert out[0]["procedures"][0] == "1.001193" and out[4]["procedures"][0] == "1.000894"
    assert set(out[4]) == {"id", "procedures", "answer", "abstained"}
    assert [set(x) for x in out[1:4]] == [{"id", "error"}] * 3
    assert out[1]["error"] == "Dòng 2 không phải JSON UTF-8 hợp lệ."
    assert out[2]["error"].startswith('Dòng 3 phải có dạng {"id": "...", "question": "..."}')
    assert out[5]["error"].startswith("Dòng 7 phải có dạng") and "id là chuỗi hoặc số" in out[5]["error"]
    assert out[3]["error"].startswith("Dòng 4: Hãy nhập câu hỏi")
    assert result.exit_code == 1, "any failed line fails the run"
    assert "4 dòng không trả lời được (dòng 2, 3, 4, 7)" in result.stderr
    assert "Cảnh báo: dòng 8 có cùng id với dòng 1." in result.stderr
