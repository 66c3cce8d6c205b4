// @ts-check
/* "Hand in" on the course site: one file of a student's answers, for the teacher's `sourcebook report`.
 *
 * Below each quiz and on the progress page, a small form asks for the
 * student's name and class (kept in this browser, asked once; the progress
 * page's own downloads, progress.js, use the same fields) and downloads
 * one hand-in file (format "sourcebook-hand-in", version 1; its JSON Schema
 * is schema/hand-in.schema.json) with every quiz saved in this browser: the
 * bank, its fingerprints, and each question's response, points, attempts,
 * hints, whether the answer was shown, and when it was checked. Everything is
 * read from the progress quiz.js saves; anything in storage that does not fit
 * the format is left out, so the file is always valid. The checksum (CRC-32
 * of the file's bytes) lets the report see a file changed afterwards.
 * A classic script, no network: works from file:// too. Quiz pages load it
 * on demand (quiz.js adds it once this browser holds saved progress); the
 * progress page loads it itself, before progress.js.
 */
(function () {
  "use strict";

  /** What quiz.js shares (it runs first): storage and its helpers. @type {any} */
  var Q = /** @type {any} */ (window).sourcebookQuiz;
  var PREFIX = Q.prefix;
  var ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  var UNSEALED = "crc32:00000000";
  var made = 0;

  /** @param {unknown} x */
  function count(x) { return typeof x === "number" && Number.isInteger(x) && x >= 0 ? x : 0; }
  /** @param {unknown} x */
  function amount(x) { return typeof x === "number" && isFinite(x) && x >= 0 ? x : 0; }
  /** @param {unknown} x */
  function time(x) { return typeof x === "string" && ISO.test(x) ? x : null; }
  /** @param {unknown} x */
  function text(x) { return typeof x === "string" ? x : ""; }
  /** @param {unknown} x @returns {x is Record<string, any>} */
  function isObject(x) { return !!x && typeof x === "object" && !Array.isArray(x); }

  /** @param {string} name @param {string} cls @param {string} [content] @returns {HTMLElement} */
  function tag(name, cls, content) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (content !== undefined) e.textContent = content;
    return e;
  }

  // --- the student: name and class, asked once, kept in this browser -------------------

  var MAX_NAME = 200;

  /** At most MAX_NAME characters as the report counts them (code points): never half of an emoji, which the report
   * would read as a broken character. @param {string} text */
  function upToMax(text) { return Array.from(text).slice(0, MAX_NAME).join(""); }
  var fieldsMade = 0;
  /** The name and class fields of each quiz or progress page that has them. @type {WeakMap<Element, any>} */
  var fieldsOf = new WeakMap();

  /** The name and class kept in this browser (empty texts when there are none). */
  function knownStudent() {
    /** @type {any} */
    var known = {};
    var store = Q.storage();
    try {
      known = JSON.parse((store && store.getItem(Q.studentKey)) || "{}") || {};
    } catch (e) { /* a damaged entry is asked again */ }
    return { name: typeof known.name === "string" ? known.name : "", class: typeof known.class === "string" ? known.class : "" };
  }

  /** The fields "Your name" and "Your class" of `root` (a quiz, or the progress page), made the first time they
   * are asked for: the hand-in form (handin.js) and the progress page's downloads share them, and what is
   * typed into them is kept in this browser for every page.
   * @param {Element} root @param {Record<string, string>} S */
  function studentFields(root, S) {
    var made = fieldsOf.get(root);
    if (made) return made;
    var id = "sb-student-" + ++fieldsMade, known = knownStudent();
    /** @param {string} suffix @param {string} label @param {string} autocomplete @param {string} value */
    function field(suffix, label, autocomplete, value) {
      var wrap = tag("p", "sb-field");
      var l = /** @type {HTMLLabelElement} */ (tag("label", "", label));
      var input = /** @type {HTMLInputElement} */ (tag("input", ""));
      input.type = "text";
      input.id = l.htmlFor = id + "-" + suffix;
      input.maxLength = MAX_NAME;
      input.autocomplete = autocomplete;
      input.value = value;
      wrap.append(l, " ", input);
      return { wrap: wrap, input: input };
    }
    var name = field("name", S.handin_name, "name", known.name);
    var klass = field("class", S.handin_class, "off", known.class);
    // Why the name is asked for, under its field; read out with it when the focus is put there.
    var note = tag("p", "sb-help sb-ask");
    note.id = id + "-ask";
    note.hidden = true;
    made = {
      parts: [name.wrap, note, klass.wrap],
      name: name.input,
      /** The name and class as typed (trimmed), kept in this browser. */
      read: function () {
        // Typed in another form of this page (one under each quiz) since this one was made: taken from there.
        if (!name.input.value.trim() && !klass.input.value.trim()) {
          var since = knownStudent();
          name.input.value = since.name;
          klass.input.value = since.class;
        }
        var student = { name: upToMax(name.input.value.trim()), class: upToMax(klass.input.value.trim()) };
        var store = Q.storage();
        try {
          if (store) store.setItem(Q.studentKey, JSON.stringify(student));
        } catch (e) { /* still used for this file */ }
        return student;
      },
      /** Asks for the name: says why under its field and puts the focus there. @param {string} why */
      ask: function (why) {
        note.textContent = why;
        note.hidden = false;
        name.input.setAttribute("aria-describedby", note.id);
        name.input.focus();
      },
      asked: function () { return !note.hidden; },
      settle: function () {
        note.hidden = true;
        note.textContent = "";
        name.input.removeAttribute("aria-describedby");
      },
    };
    [name.input, klass.input].forEach(function (input) { input.addEventListener("change", made.read); });
    fieldsOf.set(root, made);
    return made;
  }

  /** @type {number[]} */
  var table = [];
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table.push(c >>> 0);
  }

  /** CRC-32 (as zlib's) of a text's UTF-8 bytes, as 8 hexadecimal digits. @param {string} s */
  function crc32(s) {
    var bytes = new TextEncoder().encode(s), crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return ("0000000" + ((crc ^ 0xffffffff) >>> 0).toString(16)).slice(-8);
  }

  /** The file's text, sealed: the checksum (first key) is the CRC-32 of the text written with
   * crc32:00000000 in its place, as sourcebook.results.dumps writes it. @param {Record<string, unknown>} doc */
  function sealed(doc) {
    var text = JSON.stringify(Object.assign({ checksum: UNSEALED }, doc), null, 1) + "\n";
    return text.replace('"' + UNSEALED + '"', '"crc32:' + crc32(text) + '"');
  }

  /** JSON data only: what JSON.stringify would keep, anything else as null. @param {unknown} v @returns {unknown} */
  function plain(v) {
    try {
      var s = JSON.stringify(v);
      return s === undefined ? null : JSON.parse(s);
    } catch (e) {
      return null;
    }
  }

  /** Every quiz saved in this browser, in the hand-in format, and the course they were saved on.
   * @param {Storage} store @returns {{quizzes: any[], course: string}} */
  function saved(store) {
    /** @type {any[]} */
    var out = [];
    var course = "";
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (!name || name.indexOf(PREFIX) !== 0 || name === Q.studentKey) continue;
      var state;
      try {
        state = JSON.parse(store.getItem(name) || "");
      } catch (e) {
        continue;
      }
      if (!isObject(state) || !isObject(state.answers) || typeof state.fingerprint !== "string") continue;
      var prints = isObject(state.fingerprints) ? state.fingerprints : {};
      /** @type {any[]} */
      var questions = [];
      Object.keys(state.answers).forEach(function (id) {
        var a = state.answers[id];
        if (!id || !isObject(a) || typeof a.type !== "string") return;
        /** @type {Record<string, unknown>} */
        var q = { id: id, fingerprint: typeof prints[id] === "string" ? prints[id] : null, type: a.type,
          skill: text(a.skill), max_points: amount(a.max_points), response: plain(a.response),
          points: amount(a.points), attempts: count(a.attempts), hints: count(a.hints), revealed: a.revealed === true,
          first_checked: time(a.first_checked), last_checked: time(a.last_checked) };
        if (a.type === "open" && Array.isArray(a.rubric)) {
          q.rubric = a.rubric.filter(function (/** @type {unknown} */ t) {
            return typeof t === "number" && Number.isInteger(t) && t >= 0;
          });
        }
        questions.push(q);
      });
      if (!questions.some(function (q) { return q.attempts > 0 || q.hints > 0; })) continue;
      out.push({ key: name.slice(PREFIX.length), title: text(state.title), bank: text(state.bank),
        fingerprint: state.fingerprint, updated: time(state.updated), questions: questions });
      if (typeof state.course === "string" && state.course) course = state.course;
    }
    return { quizzes: out, course: course };
  }

  /** @param {string} name @param {string} type @param {string} content */
  function download(name, type, content) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([content], { type: type + ";charset=utf-8" }));
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  /** A file name from the student's name: letters and digits of any script, the rest as "-". @param {string} s */
  function fileSafe(s) {
    return s.normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "student";
  }

  /** Adds the hand-in form of `root` (a quiz, or the progress page) after `after`. @param {Element} root
   * @param {Element} after @param {Record<string, string>} S @param {string} course */
  function addForm(root, after, S, course) {
    var store = Q.storage();
    var id = "sb-handin-" + ++made;
    var box = document.createElement("div");
    box.className = "sb-handin";
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", id + "-title");
    var title = tag("p", "sb-label", S.handin_title);
    title.id = id + "-title";
    var help = tag("p", "sb-help", S.handin_help);
    var fields = studentFields(root, S);
    var status = tag("p", "sb-result", "");
    status.setAttribute("role", "status");
    var go = /** @type {HTMLButtonElement} */ (tag("button", "sb-button", S.handin_button));
    go.type = "button";
    go.addEventListener("click", function () {
      var student = fields.read();
      if (!student.name) {
        status.textContent = S.handin_need_name;
        fields.name.focus();
        return;
      }
      fields.settle();
      var found = store ? saved(store) : { quizzes: [], course: "" };
      if (!found.quizzes.length) {
        status.textContent = S.handin_nothing;
        return;
      }
      var handedIn = new Date().toISOString();
      /** @type {Record<string, unknown>} */
      var doc = { format: "sourcebook-hand-in", version: 1, student: student,
        course: course || found.course, handed_in: handedIn, made_with: "site", quizzes: found.quizzes };
      var file = "hand-in-" + fileSafe(student.name) + "-" + handedIn.slice(0, 10) + ".json";
      download(file, "application/json", sealed(doc));
      status.textContent = Q.fill(S.handin_done, { file: file, n: found.quizzes.length });
    });
    box.append.apply(box, [title, help].concat(fields.parts, [go, status]));
    after.after(box);
  }

  /** @param {Element} root */
  function strings(root) {
    var data = root.querySelector("script.sb-data");
    return JSON.parse((data && data.textContent) || "{}");
  }

  // What progress.js shares: the one set of name fields per page.
  /** @type {any} */ (window).sourcebookHandIn = Object.freeze({ studentFields: studentFields, download: download });

  function start() {
    document.querySelectorAll(".sb-quiz[data-sourcebook-quiz]").forEach(function (root) {
      var meta = root.nextElementSibling;
      if (!meta || !meta.matches("script.sb-handin-meta")) return;  // a quiz outside the course site
      var data = strings(root);
      addForm(root, meta, data.strings, text(JSON.parse(meta.textContent || "{}").course));
    });
    document.querySelectorAll(".sb-progress[data-sourcebook-progress]").forEach(function (root) {
      var data = strings(root);
      addForm(root, /** @type {Element} */ (root.querySelector(".sb-actions") || root), data.strings, text(data.course));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
