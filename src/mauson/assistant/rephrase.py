"""Optional rephrasing of a grounded answer by an operator-configured LLM.

The platform works without it. When `MAUSON_LLM_BASE_URL` names an OpenAI-compatible endpoint,
the grounded answer may be rewritten in friendlier words, but every number in the rewrite must
occur in the grounded text (fees, days, document counts, legal identifiers); otherwise, or on any
error or timeout, the grounded answer is returned unchanged.
"""

from __future__ import annotations

import logging
import re

import httpx

from mauson.settings import Settings

log = logging.getLogger("mauson.assistant")
NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")
SYSTEM_PROMPT = (
    "Bạn là trợ lý thủ tục hành chính của tỉnh Lạng Sơn. Hãy viết lại câu trả lời dưới đây cho dễ hiểu, "
    "lịch sự, bằng tiếng Việt. Không thêm, bớt hay đổi bất kỳ con số, mức phí, thời hạn, tên giấy tờ "
    "hay số hiệu văn bản nào. Không thêm thông tin mới."
)


def numbers_of(text: str) -> set[str]:
    """Numbers as written, without thousands separators: '3.500.000' and '3500000' are one number."""
    return {re.sub(r"[.,](?=\d{3}\b)", "", n) for n in NUMBER.findall(text)}


def is_faithful(rewrite: str, grounded: str) -> bool:
    return bool(rewrite.strip()) and numbers_of(rewrite) <= numbers_of(grounded)


def rephrase(settings: Settings, *, grounded: str, timeout: float = 10.0) -> str:
    """The LLM's rewrite of `grounded` if it keeps every number; otherwise `grounded` itself."""
    assert settings.llm_base_url
    headers = {"Authorization": f"Bearer {settings.llm_api_key.get_secret_value()}"} if settings.llm_api_key else {}
    payload = {
        "model": settings.llm_model or "default",
        "temperature": 0,
        "messages": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": grounded}],
    }
    url = settings.llm_base_url.rstrip("/") + "/chat/completions"
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=timeout)
        response.raise_for_status()
        rewrite = str(response.json()["choices"][0]["message"]["content"])
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as error:
        log.warning("LLM rephrasing failed, using the grounded answer: %s", error)
        return grounded
    if not is_faithful(rewrite, grounded):
        log.info("LLM rewrite changed a number; using the grounded answer")
        return grounded
    return rewrite
