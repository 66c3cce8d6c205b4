// @ts-check
/* Fill-in-the-blanks questions on the site: the twin of sourcebook/types/blanks.py. Response: gap name ->
 * text typed or chosen. */
(function (G) {
  "use strict";
  G.define("blanks", {
    /** @param {any} q @param {any} r */
    grade: function (q, r) {
      if (r === null || typeof r !== "object" || Array.isArray(r)) return G.invalid(q, "empty");
      var names = Object.keys(q.blanks);
      if (names.every(function (name) { return typeof r[name] !== "string" || !G.normalise(r[name]); })) {
        return G.invalid(q, "empty");
      }
      var parts = names.map(function (name) {
        var blank = q.blanks[name], value = r[name];
        if (typeof value !== "string") return false;
        var text = G.normalise(value, blank.case_sensitive);
        return blank.answers.some(function (/** @type {string} */ a) { return G.normalise(a, blank.case_sensitive) === text; });
      });
      return G.result(q, parts.filter(Boolean).length / parts.length, parts);
    },
    /** @param {any} q */
    correct: function (q) {
      /** @type {Record<string, string>} */
      var out = Object.create(null);  // keyed by gap names: no prototype to write through
      Object.keys(q.blanks).forEach(function (name) { out[name] = q.blanks[name].answers[0]; });
      return out;
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) {
      /** @type {Record<string, string>} */
      var out = Object.create(null);
      ui.all(fs, ".sb-gap").forEach(function (/** @type {HTMLInputElement} */ g) { out[g.dataset.gap || ""] = g.value; });
      return out;
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) {
      ui.all(fs, ".sb-gap").forEach(function (/** @type {HTMLInputElement} */ g) {
        var v = r && typeof r === "object" ? r[g.dataset.gap || ""] : "";
        g.value = typeof v === "string" ? v : "";
      });
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} result @param {any} ui */
    mark: function (fs, q, r, result, ui) { ui.markParts(fs, ".sb-gap", result); },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
