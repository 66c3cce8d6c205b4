// @ts-check
/* True/false on the site: the twin of sourcebook/types/true_false.py. Response: true or false. */
(function (G) {
  "use strict";
  G.define("true-false", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      if (typeof r !== "boolean") return G.invalid(q, "empty");
      return G.result(q, r === q.answer ? 1 : 0, [], [r ? q.feedback_true : q.feedback_false]);
    },
    /** @param {any} q */
    correct: function (q) { return q.answer; },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) {
      var checked = ui.checked(fs);
      return checked.length ? checked[0] === "true" : null;
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) {
      ui.tick(fs, function (/** @type {string} */ value) { return typeof r === "boolean" && (value === "true") === r; });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} result @param {any} ui */
    mark: function (fs, q, r, result, ui) { ui.markTicked(fs, function () { return r === q.answer; }); },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
