// @ts-check
/* Evidence questions on the site: the twin of sourcebook/types/evidence.py. Response: the indices of the
 * ticked paragraphs (the question's order); credit as in multiple answer. */
(function (G) {
  "use strict";
  G.define("evidence", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      return G.picks(q, q.paragraphs.map(function (/** @type {any} */ p) { return p.correct; }), r,
        q.paragraphs.map(function (/** @type {any} */ p) { return p.feedback; }));
    },
    /** @param {any} q */
    correct: function (q) {
      return q.paragraphs.map(function (/** @type {any} */ p, /** @type {number} */ i) { return p.correct ? i : -1; })
        .filter(function (/** @type {number} */ i) { return i >= 0; });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) { return ui.checked(fs).map(Number); },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) {
      ui.tick(fs, function (/** @type {string} */ value) { return Array.isArray(r) && r.indexOf(Number(value)) >= 0; });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} result @param {any} ui */
    mark: function (fs, q, r, result, ui) {
      ui.markTicked(fs, function (/** @type {number} */ index) { return q.paragraphs[index].correct; });
    },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
