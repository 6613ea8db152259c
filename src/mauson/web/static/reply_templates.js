// A reply template fills the reply box in place: the page does not reload, so what the officer
// already typed stays, and the template goes after it. Picking another template replaces the one
// picked before, wherever it stands in the text. Without scripts the link reloads the page with
// the template filled in.
{
  const box = document.getElementById("reply");
  const interim = document.getElementById("interim");
  const links = document.querySelectorAll("#reply-templates a[data-template]");
  const texts = Array.from(links, (link) => link.dataset.template);
  let inserted = texts.includes(box.value.trim()) ? box.value.trim() : null;  // the page may open with one
  links.forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const template = link.dataset.template;
      if (inserted && box.value.includes(inserted)) {
        box.value = box.value.replace(inserted, template);
      } else if (box.value.trim()) {
        box.value = `${box.value.trimEnd()}\n\n${template}`;
      } else {
        box.value = template;
      }
      inserted = template;
      if (interim) interim.checked = link.dataset.interim === "yes";
      box.focus();
    });
  });
}
