// @ts-check
/* Numeric questions on the site: the twin of sourcebook/types/numeric.py. Response: the text typed. */
(function (G) {
  "use strict";
  var NUMBER = /^(?:[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)$/;

  /** The number typed, or null (see grading.parse_number): only numeric questions read numbers.
   * @param {unknown} text @param {string} [unit] */
  function parseNumber(text, unit) {
    if (typeof text === "number") return text;
    if (typeof text !== "string") return null;
    var value = text.normalize("NFKC").trim();
    if (unit && value.toLowerCase().endsWith(unit.toLowerCase())) value = value.slice(0, value.length - unit.length);
    value = value.replace(/\s+/g, "");
    return NUMBER.test(value) ? parseFloat(value.replace(/,/g, "")) : null;
  }

  /** A number written with a decimal comma ("12,5", not the thousands of "1,390"). */
  var COMMA_DECIMAL = /^\s*[+-]?\d+,(\d{1,2}|\d{4,})\s*$/;

  /** Whether the page's language writes decimals with a comma (12,5). */
  function decimalComma() {
    try {
      var parts = new Intl.NumberFormat(document.documentElement.lang || "en").formatToParts(1.5);
      return parts.some(function (p) { return p.type === "decimal" && p.value === ","; });
    } catch (e) {
      return false;
    }
  }

  G.define("numeric", {
    /** @param {any} q @param {unknown} r */
    grade: function (q, r) {
      if (r === null || r === undefined || (typeof r === "string" && !r.trim())) return G.invalid(q, "empty");
      var value = parseNumber(r, q.unit);
      if (value === null) return G.invalid(q, "not-a-number");
      var low = q.answer !== null ? q.answer - q.tolerance : q.min;
      var high = q.answer !== null ? q.answer + q.tolerance : q.max;
      // The same small allowance as grading.py, for floating-point rounding.
      var slack = 1e-9 * Math.max(1, Math.abs(low), Math.abs(high));
      return G.result(q, low - slack <= value && value <= high + slack ? 1 : 0);
    },
    /** @param {any} q */
    correct: function (q) { return G.formatNumber(q.answer !== null ? q.answer : q.min); },
    /** @param {HTMLElement} fs @param {any} q @param {any} ui */
    read: function (fs, q, ui) {
      var typed = ui.typed(fs);
      // Where the page's language writes 12,5 for twelve and a half, read it so.
      if (COMMA_DECIMAL.test(typed.replace(q.unit || "", "")) && decimalComma()) return typed.replace(",", ".");
      return typed;
    },
    /** @param {HTMLElement} fs @param {any} q @param {any} r @param {any} ui */
    write: function (fs, q, r, ui) { ui.type(fs, r); },
    mark: function () {},
    /** Why a response could not be graded: a decimal comma gets its own message.
     * @param {any} q @param {unknown} r @param {any} result */
    problem: function (q, r, result) {
      return result.problem === "not-a-number" && typeof r === "string" &&
        COMMA_DECIMAL.test(r.replace(q.unit || "", "")) ? "decimal_point" : result.problem;
    },
  });
})(/** @type {any} */ (globalThis).sourcebookGrading);
