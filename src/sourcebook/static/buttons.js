// @ts-check
/* What the theme's Bootstrap script did on the course's pages, without Bootstrap (81 kB, most of it unused).
 *
 * pydata-sphinx-theme loads Bootstrap's whole script for two things on a page of the course: the tooltips of
 * the header's buttons (elements with data-bs-toggle="tooltip") and the "Back to top" button. This script does
 * both as Bootstrap did: a tooltip shows half a second after the pointer rests on a button, or at once when the
 * keyboard's focus reaches it, below the button, in the theme's own tooltip markup and style; it goes when the
 * pointer or the focus leaves, or on Escape. As Bootstrap did, the button's title becomes its tooltip (and its
 * name, where it has no other), so the browser's own tooltip does not show as well. "Back to top" shows while
 * the page is scrolled back up below the header, and scrolls to the top. The theme's own script makes one
 * tooltip itself (window.bootstrap.Tooltip, for the sidebar's collapse button): that much of Bootstrap's
 * interface is here too. A classic script: works from file://.
 */
(function () {
  "use strict";

  var SHOW_DELAY = 500;
  var HIDE_DELAY = 100;
  var made = 0;
  /** @type {HTMLElement|null} */
  var tip = null;
  /** @type {Element|null} */
  var tipFor = null;
  var timer = 0;

  /** @param {Element} button */
  function text(button) { return button.getAttribute("data-bs-title") || button.getAttribute("data-bs-original-title") || ""; }

  function hide() {
    window.clearTimeout(timer);
    if (tip) tip.remove();
    tip = tipFor = null;
  }

  /** @param {Element} button @param {string} [words] the tooltip's text (by default, the button's) */
  function show(button, words) {
    window.clearTimeout(timer);
    words = words || text(button);
    if (tipFor === button || !words || !button.isConnected) return;
    hide();
    tip = document.createElement("div");
    tip.className = "tooltip bs-tooltip-bottom fade show";
    tip.setAttribute("role", "tooltip");
    tip.id = "sb-tooltip-" + ++made;
    var arrow = document.createElement("div");
    arrow.className = "tooltip-arrow";
    var inner = document.createElement("div");
    inner.className = "tooltip-inner";
    inner.textContent = words;
    tip.append(arrow, inner);
    tip.style.position = "absolute";
    tip.style.top = tip.style.left = "0";
    document.body.append(tip);
    tipFor = button;
    // Below the button, centred on it, kept inside the window.
    var box = button.getBoundingClientRect(), size = tip.getBoundingClientRect();
    var left = Math.max(4, Math.min(box.left + box.width / 2 - size.width / 2, document.documentElement.clientWidth - size.width - 4));
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + "px";
    arrow.style.position = "absolute";
    arrow.style.left = Math.max(0, box.left + box.width / 2 - left - arrow.getBoundingClientRect().width / 2) + "px";
  }

  /** @param {Element} button */
  function later(button) {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { show(button); }, SHOW_DELAY);
  }

  function hideSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(hide, HIDE_DELAY);
  }

  /** @param {Element} button */
  function withTooltip(button) {
    var title = button.getAttribute("title");
    if (title) {
      if (!button.getAttribute("aria-label") && !(button.textContent || "").trim()) button.setAttribute("aria-label", title);
      button.setAttribute("data-bs-original-title", title);
      button.removeAttribute("title");
    }
    button.addEventListener("mouseenter", function () { later(button); });
    button.addEventListener("mouseleave", hideSoon);
    button.addEventListener("focusin", function () { show(button); });
    button.addEventListener("focusout", hideSoon);
    button.addEventListener("click", hide);
  }

  function backToTop() {
    var button = document.getElementById("pst-back-to-top");
    var header = document.getElementsByClassName("bd-header")[0];
    if (!button) return;
    var top = /** @type {HTMLElement} */ (button);
    top.addEventListener("click", function () {
      document.body.scrollTop = 0;
      document.documentElement.scrollTop = 0;
    });
    var below = header ? header.getBoundingClientRect().bottom : 0;
    var last = window.scrollY;
    window.addEventListener("scroll", function () {
      top.style.display = last > window.scrollY && window.scrollY > below ? "block" : "none";
      last = window.scrollY;
    }, { passive: true });
  }

  /** Bootstrap's Tooltip as the theme's own script uses it (pydata-sphinx-theme.js shows the tooltip of the
   * sidebar's collapse button itself): made with a title, shown and hidden on demand.
   * @param {Element} element @param {{title?: string}} [options] */
  function Tooltip(element, options) {
    this.element = element;
    this.title = (options && options.title) || "";
  }
  Tooltip.prototype.show = function () { show(this.element, this.title); };
  Tooltip.prototype.hide = function () { hide(); };
  // The one name the theme's script asks Bootstrap's for; set here, before that script runs (both deferred).
  /** @type {any} */ var page = window;
  if (!page.bootstrap) page.bootstrap = Object.freeze({ Tooltip: Tooltip });

  function start() {
    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(withTooltip);
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
    backToTop();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
