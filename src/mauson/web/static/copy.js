// Copy the text of the element named by a button's data-copy attribute, and say so.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById("copy-status");
    try {
      await navigator.clipboard.writeText(source.value);
      status.textContent = "Đã sao chép.";
    } catch {
      source.select();
      status.textContent = "Hãy nhấn Ctrl+C để sao chép.";
    }
  });
});
