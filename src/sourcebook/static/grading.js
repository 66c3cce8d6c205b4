// @ts-check
/* The grading rules of sourcebook in JavaScript, for the course site.
 *
 * A line-by-line twin of src/sourcebook/grading.py: same rules, same response
 * shapes (documented there), same results. Both are held to the vectors in
 * tests/conformance/. Questions are the plain data of sourcebook.model.to_data.
 * Works as a classic browser script (window.sourcebookGrading) and in Node
 * (module.exports).
 */
(function () {
  "use strict";

  /** @typedef {{score: number|null, correct: boolean|null, points: number, max_points: number,
   *   valid: boolean, problem: string, parts: boolean[], feedback: string[]}} Result */

  var QUOTES = /[‘’‚‛′]/g;
  var DQUOTES = /[“”„‟″]/g;
  var EDGE = /^[\s\p{P}]+|[\s\p{P}]+$/gu;
  var NUMBER = /^(?:[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)$/;

  /** Text as compared for short answers and typed gaps (see grading.normalise).
   * @param {string} text @param {boolean} [caseSensitive] */
  function normalise(text, caseSensitive) {
    var out = text.normalize("NFKC").replace(QUOTES, "'").replace(DQUOTES, '"')
      .replace(/\s+/g, " ").replace(EDGE, "");
    return caseSensitive ? out : out.toLowerCase();
  }

  /** The number typed, or null (see grading.parse_number).
   * @param {unknown} text @param {string} [unit] */
  function parseNumber(text, unit) {
    if (typeof text === "number") return text;
    if (typeof text !== "string") return null;
    var value = text.normalize("NFKC").trim();
    if (unit && value.toLowerCase().endsWith(unit.toLowerCase())) value = value.slice(0, value.length - unit.length);
    value = value.replace(/\s+/g, "");
    return NUMBER.test(value) ? parseFloat(value.replace(/,/g, "")) : null;
  }

  /** @param {unknown} x */
  function isInt(x) { return typeof x === "number" && Number.isInteger(x); }

  /** @param {any} q @param {string} problem @returns {Result} */
  function invalid(q, problem) {
    var graded = q.type !== "open";
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

  /** @type {Record<string, (q: any, r: any) => Result>} */
  var graders = {
    single: function (q, r) {
      if (!isInt(r) || r < 0 || r >= q.choices.length) return invalid(q, "empty");
      var choice = q.choices[r];
      return result(q, choice.correct ? 1 : 0, [], [choice.feedback]);
    },
    multiple: function (q, r) {
      var found = indices(r, q.choices.length);
      if (found === null) return invalid(q, "empty");
      var chosen = found;
      var right = q.choices.filter(function (/** @type {any} */ c) { return c.correct; }).length;
      if (!chosen.size && right) return invalid(q, "empty");
      var hits = 0;
      chosen.forEach(function (i) { if (q.choices[i].correct) hits++; });
      var score = right ? (hits - (chosen.size - hits)) / right : (chosen.size ? 0 : 1);
      var parts = q.choices.map(function (/** @type {any} */ c, /** @type {number} */ i) {
        return chosen.has(i) === c.correct;
      });
      var feedback = Array.from(chosen).sort(function (a, b) { return a - b; })
        .map(function (i) { return q.choices[i].feedback; });
      return result(q, score, parts, feedback);
    },
    "true-false": function (q, r) {
      if (typeof r !== "boolean") return invalid(q, "empty");
      return result(q, r === q.answer ? 1 : 0, [], [r ? q.feedback_true : q.feedback_false]);
    },
    numeric: function (q, r) {
      if (r === null || r === undefined || (typeof r === "string" && !r.trim())) return invalid(q, "empty");
      var value = parseNumber(r, q.unit);
      if (value === null) return invalid(q, "not-a-number");
      var low = q.answer !== null ? q.answer - q.tolerance : q.min;
      var high = q.answer !== null ? q.answer + q.tolerance : q.max;
      // The same small allowance as grading.py, for floating-point rounding.
      var slack = 1e-9 * Math.max(1, Math.abs(low), Math.abs(high));
      return result(q, low - slack <= value && value <= high + slack ? 1 : 0);
    },
    short: function (q, r) {
      if (typeof r !== "string" || !normalise(r)) return invalid(q, "empty");
      var cs = q.case_sensitive;
      var given = normalise(r, cs);
      if (q.answers.some(function (/** @type {string} */ a) { return normalise(a, cs) === given; })) return result(q, 1);
      var feedback = q.wrong_answers.filter(function (/** @type {any} */ w) { return normalise(w.text, cs) === given; })
        .map(function (/** @type {any} */ w) { return w.feedback; });
      return result(q, 0, [], feedback);
    },
    ordering: function (q, r) {
      var n = q.items.length;
      if (!Array.isArray(r) || r.length !== n || (indices(r, n) || new Set()).size !== n) return invalid(q, "empty");
      var pairs = n * (n - 1) / 2, inOrder = 0;
      for (var a = 0; a < n; a++) for (var b = a + 1; b < n; b++) if (r[a] < r[b]) inOrder++;
      return result(q, pairs ? inOrder / pairs : 1, r.map(function (/** @type {number} */ v, /** @type {number} */ i) {
        return v === i;
      }));
    },
    matching: function (q, r) {
      if (!Array.isArray(r) || r.length !== q.pairs.length) return invalid(q, "empty");
      if (r.every(function (v) { return v === null || v === ""; })) return invalid(q, "empty");
      var parts = q.pairs.map(function (/** @type {any} */ p, /** @type {number} */ i) {
        return typeof r[i] === "string" && r[i] === p.right;
      });
      return result(q, parts.filter(Boolean).length / parts.length, parts);
    },
    blanks: function (q, r) {
      if (r === null || typeof r !== "object" || Array.isArray(r)) return invalid(q, "empty");
      var names = Object.keys(q.blanks);
      if (names.every(function (name) { return typeof r[name] !== "string" || !normalise(r[name]); })) {
        return invalid(q, "empty");
      }
      var parts = names.map(function (name) {
        var blank = q.blanks[name], value = r[name];
        if (typeof value !== "string") return false;
        var text = normalise(value, blank.case_sensitive);
        return blank.answers.some(function (/** @type {string} */ a) { return normalise(a, blank.case_sensitive) === text; });
      });
      return result(q, parts.filter(Boolean).length / parts.length, parts);
    },
    open: function (q, r) {
      if (typeof r !== "string" || !r.trim()) return invalid(q, "empty");
      return { score: null, correct: null, points: 0, max_points: 0, valid: true, problem: "", parts: [], feedback: [] };
    },
  };

  /** Grade a response to a question (shapes in grading.py's docstring).
   * @param {any} question @param {unknown} response @returns {Result} */
  function grade(question, response) {
    return graders[question.type](question, response);
  }

  /** A response that earns full marks: what "reveal" shows; null for open responses.
   * @param {any} q */
  function correctResponse(q) {
    switch (q.type) {
      case "single": return q.choices.findIndex(function (/** @type {any} */ c) { return c.correct; });
      case "multiple": return q.choices.map(function (/** @type {any} */ c, /** @type {number} */ i) {
        return c.correct ? i : -1;
      }).filter(function (/** @type {number} */ i) { return i >= 0; });
      case "true-false": return q.answer;
      case "numeric": return formatNumber(q.answer !== null ? q.answer : q.min);
      case "short": return q.answers[0];
      case "ordering": return q.items.map(function (/** @type {any} */ _, /** @type {number} */ i) { return i; });
      case "matching": return q.pairs.map(function (/** @type {any} */ p) { return p.right; });
      case "blanks": {
        /** @type {Record<string, string>} */
        var out = Object.create(null);  // keyed by gap names: no prototype to write through
        Object.keys(q.blanks).forEach(function (name) { out[name] = q.blanks[name].answers[0]; });
        return out;
      }
      default: return null;
    }
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

  var api = { grade: grade, correctResponse: correctResponse, normalise: normalise, parseNumber: parseNumber,
    formatNumber: formatNumber, seededRandom: seededRandom, mix: mix };
  if (typeof module === "object" && module.exports) module.exports = api;
  else /** @type {any} */ (window).sourcebookGrading = api;
})();
