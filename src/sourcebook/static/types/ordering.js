// @ts-check
/* Ordering questions on the site: the twin of sourcebook/types/ordering.py. Response: the items' bank indices
 * in the student's order. Each item gets Move up / Move down buttons: keyboard operable, no dragging. */
(function (G) {
  "use strict";
  /** Each question's items in the order the page first showed them, for Reset. @type {WeakMap<HTMLElement, HTMLElement[]>} */
  var initial = new WeakMap();

  /** @param {HTMLElement} li @param {number} step @param {HTMLElement} focus @param {any} ui */
  function move(li, step, focus, ui) {
    var list = /** @type {HTMLElement} */ (li.parentNode);
    var sibling = step < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (sibling) list.insertBefore(li, step < 0 ? sibling : sibling.nextElementSibling);
    focus.focus();
    var items = ui.all(list, ".sb-item");
    ui.say(ui.fill(ui.S.moved, { item: (li.firstElementChild || li).textContent,
      position: items.indexOf(li) + 1, total: items.length }));
  }

  G.define("ordering", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      var n = q.items.length;
      if (!Array.isArray(r) || r.length !== n || (G.indices(r, n) || new Set()).size !== n) return G.invalid(q, "empty");
      var pairs = n * (n - 1) / 2, inOrder = 0;
      for (var a = 0; a < n; a++) for (var b = a + 1; b < n; b++) if (r[a] < r[b]) inOrder++;
      return G.result(q, pairs ? inOrder / pairs : 1, r.map(function (/** @type {number} */ v, /** @type {number} */ i) {
        return v === i;
      }));
    },
    /** @param {any} q */
    correct: function (q) { return q.items.map(function (/** @type {any} */ _, /** @type {number} */ i) { return i; }); },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    setup: function (fs, q, ui) {
      var list = /** @type {HTMLElement} */ (fs.querySelector(".sb-order"));
      ui.all(list, ".sb-item").forEach(function (/** @type {HTMLElement} */ li) {
        var text = (li.textContent || "").trim();
        var up = ui.button("↑", function () { move(li, -1, up, ui); });
        var down = ui.button("↓", function () { move(li, 1, down, ui); });
        up.className = down.className = "sb-button sb-move";
        up.setAttribute("aria-label", ui.fill(ui.S.move_up, { item: text }));
        down.setAttribute("aria-label", ui.fill(ui.S.move_down, { item: text }));
        var span = document.createElement("span");
        span.className = "sb-moves";
        span.append(up, down);
        li.append(span);
      });
      initial.set(fs, ui.all(list, ".sb-item"));
      var help = /** @type {HTMLElement|null} */ (fs.querySelector(".sb-help"));
      if (help) help.hidden = false;  // it names the buttons, which are there now
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) {
      return ui.all(fs, ".sb-item").map(function (/** @type {HTMLElement} */ li) { return Number(li.dataset.index); });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) {
      var list = /** @type {HTMLElement} */ (fs.querySelector(".sb-order"));
      if (!G.grade(q, r).valid) return;
      var items = ui.all(list, ".sb-item");
      r.forEach(function (/** @type {number} */ index) {
        list.appendChild(items.find(function (/** @type {HTMLElement} */ li) { return Number(li.dataset.index) === index; }));
      });
    },
    /** @param {HTMLElement} fs */
    reset: function (fs) {
      var list = /** @type {HTMLElement} */ (fs.querySelector(".sb-order"));
      (initial.get(fs) || []).forEach(function (li) { list.appendChild(li); });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} result @param {any} ui */
    mark: function (fs, q, r, result, ui) { ui.markParts(fs, ".sb-item", result); },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
