// @ts-check
/* Matching questions on the site: the twin of sourcebook/types/matching.py. Response: per pair (bank order),
 * the right-hand text chosen, or null. */
(function (G) {
  "use strict";
  G.define("matching", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      if (!Array.isArray(r) || r.length !== q.pairs.length) return G.invalid(q, "empty");
      if (r.every(function (v) { return v === null || v === ""; })) return G.invalid(q, "empty");
      var parts = q.pairs.map(function (/** @type {any} */ p, /** @type {number} */ i) {
        return typeof r[i] === "string" && r[i] === p.right;
      });
      return G.result(q, parts.filter(Boolean).length / parts.length, parts);
    },
    /** @param {any} q */
    correct: function (q) { return q.pairs.map(function (/** @type {any} */ p) { return p.right; }); },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) {
      return ui.all(fs, ".sb-pair select").map(function (/** @type {HTMLSelectElement} */ s) { return s.value || null; });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) {
      ui.all(fs, ".sb-pair select").forEach(function (/** @type {HTMLSelectElement} */ s, /** @type {number} */ i) {
        s.value = Array.isArray(r) && typeof r[i] === "string" ? r[i] : "";
      });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} result @param {any} ui */
    mark: function (fs, q, r, result, ui) { ui.markParts(fs, ".sb-pair", result); },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
