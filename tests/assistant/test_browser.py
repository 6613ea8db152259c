"""A citizen asks the assistant in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations


def test_a_citizen_asks_in_the_chat_page_and_gets_the_answer_with_its_card(
    catalogue: None,
    browser: object,
    server: str,
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(f"{server}/")
    page.get_by_role("link", name="Hỏi đáp thủ tục").first.click()
    page.get_by_label("Câu hỏi của bạn").fill("dang ky ket hon mat bao lau")
    page.get_by_role("button", name="Hỏi").click()
    answer = page.locator("#answer").inner_text()
    assert "Thủ tục «Đăng ký kết hôn»" in answer and "3 Ngày làm việc" in answer
    assert page.locator("#card-title").inner_text() == "Thủ tục đăng ký kết hôn"
    page.wait_for_load_state()
    opened_at = page.evaluate("document.querySelector('.exchange').getBoundingClientRect().top")
    assert 0 <= opened_at < 50, "a phone opens the answer at its start, the question above it"
    assert page.evaluate("document.activeElement.id") == "answer", "and a screen reader is taken to it"
    page.get_by_label("Câu hỏi của bạn").fill("còn lệ phí thì sao?")
    page.get_by_label("Câu hỏi của bạn").press("Enter")  # Enter sends, as in any chat box
    page.wait_for_load_state()
    assert "dang ky ket hon mat bao lau" in page.locator(".earlier").inner_text(), "the second question was sent"
    assert "30.000 Đồng" in page.locator("#answer").inner_text()
