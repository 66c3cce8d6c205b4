// @ts-check
/* Single choice on the site: the twin of sourcebook/types/single.py. Response: the chosen choice's bank index. */
(function (G) {
  "use strict";
  G.define("single", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      if (!G.isInt(r) || /** @type {number} */ (r) < 0 || /** @type {number} */ (r) >= q.choices.length) {
        return G.invalid(q, "empty");
      }
      var choice = q.choices[/** @type {number} */ (r)];
      return G.result(q, choice.correct ? 1 : 0, [], [choice.feedback]);
    },
    /** @param {any} q */
    correct: function (q) { return q.choices.findIndex(function (/** @type {any} */ c) { return c.correct; }); },
    /** @param {any} q */
    mixes: function (q) { return q.shuffle; },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) {
      var checked = ui.checked(fs);
      return checked.length ? Number(checked[0]) : null;
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) { ui.tick(fs, function (/** @type {string} */ value) { return Number(value) === r; }); },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} result @param {any} ui */
    mark: function (fs, q, r, result, ui) {
      ui.markTicked(fs, function (/** @type {number} */ index) { return q.choices[index].correct; });
    },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
