// @ts-check
/* Open responses on the site: the twin of sourcebook/types/open_response.py. Response: the text written.
 * Kept, never graded: Save shows the model answer and the rubric to tick. */
(function (G) {
  "use strict";
  G.define("open", {
    graded: false,
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      if (typeof r !== "string" || !r.trim()) return G.invalid(q, "empty");
      return { score: null, correct: null, points: 0, max_points: 0, valid: true, problem: "", parts: [], feedback: [] };
    },
    correct: function () { return null; },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) { return ui.typed(fs); },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) { ui.type(fs, r); },
    /** @param {HTMLElement} fs */
    mark: function (fs) {
      var model = /** @type {HTMLElement|null} */ (fs.querySelector(".sb-model"));
      if (model) model.hidden = false;
    },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
