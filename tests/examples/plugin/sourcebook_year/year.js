// @ts-check
/* The year question type on the site: the twin of sourcebook_year/__init__.py. Response: the text typed. */
(function (G) {
  "use strict";
  G.define("year", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      var m = typeof r === "string" ? /^\s*(\d{1,4})\s*$/.exec(r) : null;
      if (!m) return G.invalid(q, typeof r === "string" && r.trim() ? "not-a-number" : "empty");
      return G.result(q, Number(m[1]) === q.answer ? 1 : 0);
    },
    /** @param {any} q */
    correct: function (q) { return String(q.answer); },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) { return ui.typed(fs); },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) { ui.type(fs, r); },
    mark: function () {},
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
