// @ts-check
/* The progress page of the course site: fills its table with the scores saved in this browser and offers the
 * student's results as JSON and CSV, named with the hand-in form's name fields.
 *
 * Loaded on the progress page only, after quiz.js (storage, saved progress, helpers) and handin.js (the name
 * fields, the file download). A classic script, no network: works from file:// too.
 */
(function () {
  "use strict";

  /** @type {any} */
  var Q = /** @type {any} */ (window).sourcebookQuiz;
  /** @type {any} */
  var H = /** @type {any} */ (window).sourcebookHandIn;
  var storage = Q.storage, readSaved = Q.readSaved, showNotice = Q.showNotice, all = Q.all, button = Q.button,
    fmt = Q.fmt;

  /** Fills the progress page's table from storage and offers the downloads. @param {HTMLElement} root */
  function showProgress(root) {
    var data = JSON.parse(/** @type {Element} */ (root.querySelector("script.sb-data")).textContent || "{}");
    var S = data.strings, store = storage();
    var notice = /** @type {HTMLElement} */ (root.querySelector(".sb-notice"));
    if (!store) showNotice(notice, S.notice_no_storage);
    /** @type {any[]} */
    var results = [];
    data.quizzes.forEach(function (/** @type {any} */ quiz) {
      var saved = readSaved(store, quiz.key, quiz.fingerprint);
      if (saved.problem === "notice_corrupt") showNotice(notice, S.notice_corrupt);
      var score = saved.state && saved.state.score;
      // Storage can be edited by hand: a score outside what the quiz can give is not shown as one.
      var ok = score && within(score.points, quiz.max_points) && Number.isInteger(score.answered) &&
        within(score.answered, quiz.questions);
      var row = all(root, "tr[data-key]").find(function (tr) { return tr.dataset.key === quiz.key; });
      if (ok && row) {
        /** @type {HTMLElement} */ (row.querySelector(".sb-score")).textContent = fmt(score.points) + " / " + fmt(quiz.max_points);
        /** @type {HTMLElement} */ (row.querySelector(".sb-answered")).textContent = score.answered + " / " + quiz.questions;
      }
      if (score && !ok) showNotice(notice, S.notice_corrupt);
      results.push({ key: quiz.key, title: quiz.title, page: quiz.page, points: ok ? score.points : 0,
        max_points: quiz.max_points, answered: ok ? score.answered : 0, questions: quiz.questions,
        updated: ok ? saved.state.updated : null, answers: ok ? saved.state.answers : {} });
    });
    var actions = /** @type {HTMLElement} */ (root.querySelector(".sb-actions"));
    /** A download that carries the student's name and class, from the fields the hand-in form shows. Without a
     * name it asks once, in that field; pressed again, it goes without one (an empty name says so in the file).
     * @param {(student: {name: string, class: string}) => void} make */
    function named(make) {
      return function () {
        var fields = H.studentFields(root, S);
        if (!fields.name.isConnected) actions.after.apply(actions, fields.parts);  // no hand-in form on this page
        var student = fields.read();
        if (!student.name && !fields.asked()) {
          fields.ask(S.download_need_name);
          return;
        }
        fields.settle();
        make(student);
      };
    }
    actions.append(
      button(S.download_json, named(function (student) {
        H.download("sourcebook-results.json", "application/json",
          // The address of the page, but never a path on the student's own disk (file://).
          JSON.stringify({ exported: new Date().toISOString(), student: student,
            page: /^https?:$/.test(location.protocol) ? location.href : null, quizzes: results }, null, 2));
      })),
      button(S.download_csv, named(function (student) {
        // A row per quiz, then a row per question it has answers for (the "question" column says which); each
        // row names the student, so that a class's files can be put together in one sheet.
        var rows = [["student", "class", "quiz", "title", "page", "question", "points", "max_points", "answered",
          "questions", "updated"]];
        var who = [student.name, student.class];
        results.forEach(function (r) {
          rows.push(who.concat([r.key, r.title, r.page, "", fmt(r.points), fmt(r.max_points), r.answered, r.questions,
            r.updated || ""]));
          Object.keys(r.answers).forEach(function (id) {
            var a = r.answers[id];
            // An open response (no points to earn) has no row of points.
            if (!a || typeof a !== "object" || a.max_points === 0 || !within(a.max_points, r.max_points)) return;
            rows.push(who.concat([r.key, r.title, r.page, id, fmt(within(a.points, a.max_points) ? a.points : 0),
              fmt(a.max_points), "", "", a.last_checked || ""]));
          });
        });
        // A byte-order mark, so that spreadsheet programs read the file as UTF-8 (curly quotes, Chinese).
        H.download("sourcebook-results.csv", "text/csv", "\uFEFF" + rows.map(function (row) {
          return row.map(csvField).join(",");
        }).join("\r\n") + "\r\n");
      })));
  }

  /** Whether `x` is a number from 0 to `max`. @param {unknown} x @param {number} max */
  function within(x, max) { return typeof x === "number" && isFinite(x) && x >= 0 && x <= max; }

  /** A CSV field, quoted; a leading =, +, -, @, tab or carriage return (OWASP's list) is defused so
   * spreadsheets do not run it. @param {unknown} value */
  function csvField(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text) && isNaN(Number(text))) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function start() {
    all(document, ".sb-progress[data-sourcebook-progress]").forEach(showProgress);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
