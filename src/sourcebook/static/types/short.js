// @ts-check
/* Short-text questions on the site: the twin of sourcebook/types/short.py. Response: the text typed. */
(function (G) {
  "use strict";
  G.define("short", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      if (typeof r !== "string" || !G.normalise(r)) return G.invalid(q, "empty");
      var cs = q.case_sensitive;
      var given = G.normalise(r, cs);
      if (q.answers.some(function (/** @type {string} */ a) { return G.normalise(a, cs) === given; })) {
        return G.result(q, 1);
      }
      var feedback = q.wrong_answers.filter(function (/** @type {any} */ w) { return G.normalise(w.text, cs) === given; })
        .map(function (/** @type {any} */ w) { return w.feedback; });
      return G.result(q, 0, [], feedback);
    },
    /** @param {any} q */
    correct: function (q) { return q.answers[0]; },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) { return ui.typed(fs); },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) { ui.type(fs, r); },
    /** Shows the feedback of the foreseen wrong answer given, if it is one.
     * @param {HTMLElement} fs @param {any} q @param {any} r */
    mark: function (fs, q, r) {
      var given = G.normalise(String(r), q.case_sensitive);
      q.wrong_answers.forEach(function (/** @type {any} */ w, /** @type {number} */ i) {
        var f = /** @type {HTMLElement|null} */ (fs.querySelector('.sb-feedback[data-wrong="' + i + '"]'));
        if (f) f.hidden = G.normalise(w.text, q.case_sensitive) !== given;
      });
    },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
