// On a phone the main navigation is one row that scrolls sideways: bring the current page's item
// into view, so that the reader sees where they are without hunting for it.
{
  const list = document.querySelector("header nav ul");
  const current = list && list.querySelector('[aria-current="page"]');
  if (current && list.scrollWidth > list.clientWidth) {
    const item = current.parentElement;
    list.scrollLeft = item.offsetLeft - list.offsetLeft - (list.clientWidth - item.offsetWidth) / 2;
  }
}
