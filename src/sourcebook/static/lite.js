// @ts-check
// The module page's "Open in the browser" link. JupyterLite cannot run from a
// file (file://): there the link gives way to a plain note that the in-browser
// notebook needs the site served, with the notebook's download beside it.
(() => {
  if (location.protocol !== "file:") return;
  for (const link of document.querySelectorAll("a.sb-lite-open")) {
    const note = link.nextElementSibling;
    if (!(note instanceof HTMLElement) || !note.classList.contains("sb-lite-file-note")) continue;
    note.hidden = false;
    link.hidden = true;
  }
})();
