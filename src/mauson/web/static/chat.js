// The chat box as people expect one to behave: Enter sends the question, Shift+Enter starts a new
// line, and while the answer is being found the button says so and cannot send it twice. Without
// this script the form still works: the button sends it.
{
  // An answer opens at its start, with the question above it. The page's autofocus (kept for
  // browsers without this script) centres a tall answer, so a phone opened in its middle: the
  // exchange is scrolled to the top and the answer keeps the focus for screen readers.
  const answer = document.getElementById("answer");
  if (answer) {
    answer.closest(".exchange").scrollIntoView({ block: "start" });
    answer.focus({ preventScroll: true });
  }
}
{
  const form = document.querySelector("form.ask");
  const box = form && form.querySelector("textarea[name=question]");
  const button = form && form.querySelector("button[type=submit]");
  if (form && box && button) {
    box.addEventListener("keydown", (event) => {
      // an input method still composing a Vietnamese letter owns the Enter key
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", () => {
      button.disabled = true;
      button.textContent = "Đang tìm câu trả lời…";
      form.setAttribute("aria-busy", "true");
    });
  }
}
