// @ts-check
/* Multiple answer on the site: the twin of sourcebook/types/multiple.py. Response: the ticked choices' bank
 * indices. */
(function (G) {
  "use strict";
  G.define("multiple", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      return G.picks(q, q.choices.map(function (/** @type {any} */ c) { return c.correct; }), r,
        q.choices.map(function (/** @type {any} */ c) { return c.feedback; }));
    },
    /** @param {any} q */
    correct: function (q) {
      return q.choices.map(function (/** @type {any} */ c, /** @type {number} */ i) { return c.correct ? i : -1; })
        .filter(function (/** @type {number} */ i) { return i >= 0; });
    },
    /** @param {any} q */
    mixes: function (q) { return q.shuffle; },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) { return ui.checked(fs).map(Number); },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) {
      ui.tick(fs, function (/** @type {string} */ value) { return Array.isArray(r) && r.indexOf(Number(value)) >= 0; });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} result @param {any} ui */
    mark: function (fs, q, r, result, ui) {
      ui.markTicked(fs, function (/** @type {number} */ index) { return q.choices[index].correct; });
    },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
