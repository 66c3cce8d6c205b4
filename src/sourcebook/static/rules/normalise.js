// @ts-check
/* Text as compared for short answers and typed gaps (the question types short and blanks load it, see their
 * QuestionType.script_helpers): adds normalise() to grading.js's helpers. The twin of grading.normalise. */
(function (G) {
  "use strict";
  var QUOTES = /[‘’‚‛′]/g;
  var DQUOTES = /[“”„‟″]/g;
  var EDGE = /^[\s\p{P}]+|[\s\p{P}]+$/gu;

  /** Text as compared (see grading.normalise). @param {string} text @param {boolean} [caseSensitive] */
  G.normalise = function (text, caseSensitive) {
    var out = text.normalize("NFKC").replace(QUOTES, "'").replace(DQUOTES, '"')
      .replace(/\s+/g, " ").replace(EDGE, "");
    return caseSensitive ? out : out.toLowerCase();
  };
})(/** @type {any} */ (globalThis).sourcebookGrading);
