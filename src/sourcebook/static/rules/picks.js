// @ts-check
/* The rule of ticked choices, shared by multiple answer and evidence questions (which load it, see their
 * QuestionType.script_helpers): adds picks() to grading.js's helpers. */
(function (G) {
  "use strict";

  /** (right ticked - wrong ticked) / right, never below 0; with no right choice, 1 only when nothing is ticked.
   * @param {any} q @param {boolean[]} right per choice @param {unknown} r @param {string[]} [feedback] */
  G.picks = function (q, right, r, feedback) {
    var found = G.indices(r, right.length);
    if (found === null) return G.invalid(q, "empty");
    /** @type {Set<number>} */
    var chosen = found;
    var nRight = right.filter(Boolean).length;
    if (!chosen.size && nRight) return G.invalid(q, "empty");
    var hits = 0;
    chosen.forEach(function (i) { if (right[i]) hits++; });
    var score = nRight ? (hits - (chosen.size - hits)) / nRight : (chosen.size ? 0 : 1);
    var parts = right.map(function (isRight, i) { return chosen.has(i) === isRight; });
    var earned = Array.from(chosen).sort(function (a, b) { return a - b; })
      .map(function (i) { return feedback ? feedback[i] : ""; });
    return G.result(q, score, parts, earned);
  };
})(/** @type {any} */ (globalThis).sourcebookGrading);
