// A phone's photo (3–5 MB) is made small enough to send before the form goes: drawn at most
// 1600 px on its longer side and saved as JPEG, at a lower quality until it fits the limit the
// form states (data-max-bytes). The form waits while it works. Without scripts, or where the
// browser cannot read the image, the file goes as chosen and the server says what is too large,
// the form kept.
{
  const input = document.getElementById("photo");
  const status = document.getElementById("photo-status");
  const submit = input.form.querySelector("button[type=submit]");
  const limit = Number(input.dataset.maxBytes);
  const longestSide = 1600;

  const asJpeg = (canvas, quality) => new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));

  async function shrunk(file) {
    if (file.size <= limit) return file;
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, longestSide / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.85, 0.7, 0.55, 0.4]) {
      const blob = await asJpeg(canvas, quality);
      if (blob && blob.size <= limit) {
        return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
      }
    }
    return file;
  }

  input.addEventListener("change", async () => {
    const files = Array.from(input.files);
    if (!files.some((file) => file.size > limit)) return;
    status.textContent = "Đang thu nhỏ ảnh để gửi được…";
    submit.disabled = true;
    try {
      const smaller = await Promise.all(files.map(shrunk));
      const chosen = new DataTransfer();
      smaller.forEach((file) => chosen.items.add(file));
      input.files = chosen.files;
      status.textContent = smaller.every((file) => file.size <= limit)
        ? "Đã thu nhỏ ảnh để gửi được."
        : "Có ảnh vẫn lớn quá: hãy chọn ảnh khác hoặc chụp lại với độ phân giải thấp hơn.";
    } catch {
      status.textContent = "Không thu nhỏ được ảnh này: hãy chọn ảnh JPEG, PNG hoặc WebP dưới 800 KB.";
    } finally {
      submit.disabled = false;
    }
  });
}
