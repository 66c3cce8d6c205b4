// @ts-check
/* What the site's question types share: the registry of types and the helpers of their grading rules.
 *
 * The twin of src/sourcebook/grading.py: each type's script
 * (static/types/<type>.js, the twin of src/sourcebook/types/<type>.py) defines
 * its rules here with define(); grade() and correctResponse() ask the type.
 * Both languages are held to the vectors in tests/conformance/. Questions are
 * the plain data of sourcebook.model.to_data. Works as a classic browser script
 * (globalThis.sourcebookGrading, which the type scripts use) and in Node
 * (module.exports).
 */
(function () {
  "use strict";

  /** @typedef {{score: number|null, correct: boolean|null, points: number, max_points: number,
   *   valid: boolean, problem: string, parts: boolean[], feedback: string[]}} Result */

  /** @param {unknown} x */
  function isInt(x) { return typeof x === "number" && Number.isInteger(x); }

  /** @param {any} q @param {string} problem @returns {Result} */
  function invalid(q, problem) {
    var graded = isGraded(q);
    return { score: graded ? 0 : null, correct: graded ? false : null, points: 0,
      max_points: graded ? q.points : 0, valid: false, problem: problem, parts: [], feedback: [] };
  }

  /** @param {any} q @param {number} score @param {boolean[]} [parts] @param {string[]} [feedback] @returns {Result} */
  function result(q, score, parts, feedback) {
    score = Math.min(1, Math.max(0, score));
    return { score: score, correct: score === 1, points: score * q.points, max_points: q.points, valid: true,
      problem: "", parts: parts || [], feedback: (feedback || []).filter(Boolean) };
  }

  /** Indices of a list response, or null when it is not a list of valid indices.
   * @param {unknown} response @param {number} size */
  function indices(response, size) {
    if (!Array.isArray(response)) return null;
    /** @type {Set<number>} */
    var out = new Set();
    for (var i of response) {
      if (!isInt(i) || i < 0 || i >= size) return null;
      out.add(i);
    }
    return out;
  }

  /** Whether a question counts towards the score (an open response does not). @param {any} q */
  function isGraded(q) { return !(types[q.type] && types[q.type].graded === false); }

  /** Each question type, by name: its script (static/types/<type>.js) registers it with define().
   * @type {Record<string, any>} */
  var types = Object.create(null);

  /** Registers a question type: grade(q, r) and correct(q), and for the page read, write, mark... (quiz.js).
   * @param {string} name @param {any} spec */
  function define(name, spec) { types[name] = spec; }

  /** Grade a response to a question by its type's rules (shapes in grading.py's docstring).
   * @param {any} question @param {unknown} response @returns {Result} */
  function grade(question, response) {
    var type = types[question.type];
    return type ? type.grade(question, response) : invalid(question, "unknown-type");
  }

  /** A response that earns full marks: what "reveal" shows; null for open responses.
   * @param {any} q */
  function correctResponse(q) {
    var type = types[q.type];
    return type && type.correct ? type.correct(q) : null;
  }

  /** A number as people write it: rounded to 15 significant digits (no floating-point noise), then the
   * shortest text that reads back as that number, never with an exponent; rounded half up to `places` decimals when given. The twin of sourcebook.formatting.format_number,
   * held to tests/conformance/numbers.yml.
   * @param {number} x @param {number} [places] @returns {string} */
  function formatNumber(x, places) {
    if (places !== undefined) {
      var scale = Math.pow(10, places);
      x = Math.floor(x * scale + 0.5) / scale;
    }
    if (isNaN(x)) return "NaN";
    if (!isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
    if (x === 0) return "0";
    var text = String(Number(x.toPrecision(15)));
    var m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
    if (!m) return text;
    var digits = m[2] + (m[3] || ""), exponent = Number(m[4]);
    if (exponent < 0) return m[1] + "0." + "0".repeat(-exponent - 1) + digits;
    var point = exponent + 1;
    return m[1] + (digits.length <= point ? digits + "0".repeat(point - digits.length)
      : digits.slice(0, point) + "." + digits.slice(point));
  }

  /** The quiz's random numbers: the FNV-1a hash of the seed's UTF-16 code units seeds mulberry32.
   * The same numbers as sourcebook.selection.SeededRandom; held to tests/conformance/order.yml.
   * @param {string} seed @returns {() => number} */
  function seededRandom(seed) {
    var h = 2166136261;
    for (var i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
    return function () {
      h = (h + 0x6d2b79f5) | 0;
      var t = Math.imul(h ^ (h >>> 15), 1 | h);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** A copy of the items in a random order: Fisher–Yates from the last place down (selection.mix).
   * @template T @param {T[]} items @param {() => number} random @returns {T[]} */
  function mix(items, random) {
    var out = items.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var t = out[i]; out[i] = out[j]; out[j] = t;
    }
    return out;
  }

  // The helpers only some question types use are in rules/ (normalise, picks) and in the type's own script
  // (numeric's parseNumber): a page loads them with the types it shows.
  var api = { grade: grade, correctResponse: correctResponse, formatNumber: formatNumber, seededRandom: seededRandom,
    mix: mix, define: define, types: types, invalid: invalid, result: result, isGraded: isGraded, indices: indices,
    isInt: isInt };
  /** @type {any} */ (globalThis).sourcebookGrading = api;  // the type scripts find it here
  if (typeof module === "object" && module.exports) module.exports = api;
})();
