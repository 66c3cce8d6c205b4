"""What scrolls sideways on a page, for the reflow tests (WCAG 1.4.10) of the test book and of the course."""

from __future__ import annotations

from typing import Any

#: The page, if it is wider than the window, and every visible box that scrolls sideways, apart from code and
#: tables (content WCAG lets scroll in two directions).
_SIDEWAYS = """() => {
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.classList.length ? "." + Array.from(e.classList).join(".") : "");
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) found.push(`the page: ${root.scrollWidth} px > ${root.clientWidth} px`);
  for (const e of document.querySelectorAll("body *")) {
    const style = getComputedStyle(e);
    const scrolls = ["auto", "scroll"].includes(style.overflowX) && e.scrollWidth > e.clientWidth;
    if (!scrolls || !e.checkVisibility()) continue;
    if (e.matches("pre, .highlight, table") || e.querySelector(":scope > table, :scope > pre")) continue;
    found.push(`${name(e)}: ${e.scrollWidth} px > ${e.clientWidth} px`);
  }
  return found;
}"""


def scrolls_sideways(page: Any) -> list[str]:
    """What on the open page scrolls sideways (nothing, if the page reflows)."""
    found: list[str] = page.evaluate(_SIDEWAYS)
    return found
