// A reply template fills the reply box in place: the page does not reload, so what the officer
// already typed stays (the template goes after it). Without scripts the link reloads the page
// with the template filled in, as before.
const box = document.getElementById("reply");
const interim = document.getElementById("interim");
const templates = document.querySelectorAll("#reply-templates a[data-template]");
const texts = Array.from(templates, (link) => link.dataset.template);
templates.forEach((link) => {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const typed = box.value.trim();
    const own = typed && !texts.includes(typed);  // a template picked before is replaced, not kept
    box.value = own ? `${box.value.trimEnd()}\n\n${link.dataset.template}` : link.dataset.template;
    if (interim) interim.checked = link.dataset.interim === "yes";
    box.focus();
  });
});
