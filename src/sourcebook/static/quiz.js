// @ts-check
/* Quizzes on the course site: makes the worksheet markup of sourcebook/html.py
 * interactive, with no server and no framework.
 *
 * The page already holds every text (rendered from the bank at build time);
 * this script only shows and hides it, adds buttons, grades with grading.js
 * and saves progress in localStorage. It never parses strings as HTML: text
 * from the student or from storage only ever reaches .value or .textContent.
 * A classic script (not a module), so pages work from file:// too. Its one
 * global, window.sourcebookQuiz, gives handin.js (loaded after it) the
 * storage and the student's name and class fields, so both share one copy.
 */
(function () {
  "use strict";

  /** @type {any} */
  var G = /** @type {any} */ (window).sourcebookGrading;
  var PREFIX = "sourcebook:v1:";
  var CONTROLS = "input, select, textarea, .sb-move";

  /** @param {string} template @param {Record<string, unknown>} values */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }

  /** Points as people read them (grading.js's formatNumber, to two places). @param {number} x */
  function fmt(x) { return G.formatNumber(x, 2); }

  /** @param {string} tag @param {string} [cls] @param {string} [text] @returns {HTMLElement} */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** @param {string} text @param {() => void} onClick */
  function button(text, onClick) {
    var b = /** @type {HTMLButtonElement} */ (el("button", "sb-button", text));
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  /** @param {ParentNode} root @param {string} sel @returns {HTMLElement[]} */
  function all(root, sel) { return /** @type {HTMLElement[]} */ (Array.from(root.querySelectorAll(sel))); }

  /** @param {Element} notice @param {string} text */
  function showNotice(notice, text) {
    notice.textContent = text;
    notice.removeAttribute("hidden");
  }

  /** localStorage, or null where the browser refuses it (privacy settings, sandboxed frames). */
  function storage() {
    try {
      var s = window.localStorage;
      s.getItem(PREFIX);
      return s;
    } catch (e) {
      return null;
    }
  }

  // --- the student: name and class, asked once, kept in this browser -------------------

  var STUDENT = PREFIX + "student";
  var MAX_NAME = 200;
  var fieldsMade = 0;
  /** The name and class fields of each quiz or progress page that has them. @type {WeakMap<Element, any>} */
  var fieldsOf = new WeakMap();

  /** The name and class kept in this browser (empty texts when there are none). */
  function knownStudent() {
    /** @type {any} */
    var known = {};
    var store = storage();
    try {
      known = JSON.parse((store && store.getItem(STUDENT)) || "{}") || {};
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
      var wrap = el("p", "sb-field");
      var l = /** @type {HTMLLabelElement} */ (el("label", "", label));
      var input = /** @type {HTMLInputElement} */ (el("input"));
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
    var note = el("p", "sb-help sb-ask");
    note.id = id + "-ask";
    note.hidden = true;
    made = {
      parts: [name.wrap, note, klass.wrap],
      name: name.input,
      /** The name and class as typed (trimmed), kept in this browser. */
      read: function () {
        var student = { name: name.input.value.trim().slice(0, MAX_NAME), class: klass.input.value.trim().slice(0, MAX_NAME) };
        var store = storage();
        try {
          if (store) store.setItem(STUDENT, JSON.stringify(student));
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

  /** The value saved under `key` in `object`, never one it inherits (such as `constructor`).
   * @param {any} object @param {string} key */
  function own(object, key) {
    return object && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key)
      ? object[key] : undefined;
  }

  /** Saved progress of a quiz: {state} when usable, {problem} when corrupt or from another version.
   * @param {Storage|null} store @param {string} key @param {string} fingerprint
   * @returns {{state?: any, problem?: string}} */
  function readSaved(store, key, fingerprint) {
    var raw = store && store.getItem(PREFIX + key);
    if (!raw) return {};
    var state;
    try {
      state = JSON.parse(raw);
    } catch (e) {
      return { problem: "notice_corrupt" };
    }
    if (!state || typeof state !== "object" || !state.answers || typeof state.answers !== "object" ||
        Array.isArray(state.answers)) return { problem: "notice_corrupt" };
    if (state.fingerprint !== fingerprint) return { problem: "notice_changed" };
    return { state: state };
  }

  /** Moves elements into a random order in place (the order from grading.js's mix).
   * @param {HTMLElement[]} items @param {() => number} random */
  function place(items, random) {
    G.mix(items, random).forEach(function (/** @type {HTMLElement} */ item) {
      if (item.parentNode) item.parentNode.appendChild(item);
    });
  }

  /** The seed this browser keeps for its student, made once; a fresh one each time without storage.
   * @param {Storage | null} store @returns {string} */
  function studentSeed(store) {
    // Outside PREFIX, so that lists of saved quizzes (handin.js) never take it for one.
    var key = "sourcebook:order-seed";
    try {
      var seed = store ? store.getItem(key) : null;
      if (seed && /^[0-9]{1,20}$/.test(seed)) return seed;
      seed = String(Math.random()).slice(2) || "0";
      if (store) store.setItem(key, seed);
      return seed;
    } catch (e) {
      return String(Math.random()).slice(2);
    }
  }

  /** @param {unknown} x */
  function count(x) { return typeof x === "number" && Number.isInteger(x) && x >= 0 ? x : 0; }

  // --- one question --------------------------------------------------------------

  /** @param {any} q the question's data @param {HTMLElement} fs its fieldset @param {any} quiz */
  function Question(q, fs, quiz) {
    this.q = q;
    this.fs = fs;
    this.quiz = quiz;
    /** The question's type, from its script (static/types/<type>.js). */
    this.type = G.types[q.type];
    this.graded = G.isGraded(q);
    this.ui = pageTools(quiz);
    this.attempts = 0;
    this.hints = 0;
    this.revealed = false;
    /** When the student first and last checked an answer (ISO times, for the hand-in file). @type {string|null} */
    this.first = null;
    /** @type {string|null} */
    this.last = null;
    /** @type {any} */
    this.result = null;
    /** @type {unknown} */
    this.response = null;
    var placeholder = /** @type {any} */ (null);
    /** @type {HTMLButtonElement} */
    this.hintButton = placeholder;
    /** @type {HTMLButtonElement} */
    this.checkButton = placeholder;
    /** @type {HTMLButtonElement} */
    this.revealButton = placeholder;
    /** @type {HTMLElement} */
    this.message = placeholder;
    this.build();
    all(fs, ".sb-rubric input").forEach(function (box) {
      box.addEventListener("change", function () { quiz.save(); });
    });
    // Enter in a one-line answer checks it, as it would submit a form.
    var self = this;
    all(fs, ".sb-typed input, input.sb-gap").forEach(function (input) {
      input.addEventListener("keydown", function (/** @type {KeyboardEvent} */ event) {
        if (event.key !== "Enter" || event.isComposing || self.checkButton.disabled) return;
        event.preventDefault();
        self.check();
      });
    });
  }

  /** What a question type's script (static/types/<type>.js) may use on the page: the helpers its read, write,
   * mark and setup functions share. @param {any} quiz */
  function pageTools(quiz) {
    return {
      all: all, button: button, fill: fill, S: quiz.S,
      /** @param {string} text */
      say: function (text) { quiz.say(text); },
      /** The values of the ticked boxes of a question's choices. @param {HTMLElement} fs @returns {string[]} */
      checked: function (fs) {
        return all(fs, ".sb-choices input:checked").map(function (i) { return /** @type {HTMLInputElement} */ (i).value; });
      },
      /** Ticks the choices whose value passes `ticked`, unticks the others.
       * @param {HTMLElement} fs @param {(value: string) => boolean} ticked */
      tick: function (fs, ticked) {
        all(fs, ".sb-choices input").forEach(function (i) {
          /** @type {HTMLInputElement} */ (i).checked = ticked(/** @type {HTMLInputElement} */ (i).value);
        });
      },
      /** The text in the question's answer box. @param {HTMLElement} fs @returns {string} */
      typed: function (fs) {
        return /** @type {HTMLInputElement} */ (fs.querySelector(".sb-typed input, .sb-typed textarea")).value;
      },
      /** Puts text (or nothing) into the answer box. @param {HTMLElement} fs @param {unknown} r */
      type: function (fs, r) {
        all(fs, ".sb-typed input, .sb-typed textarea").forEach(function (i) {
          /** @type {HTMLInputElement} */ (i).value = typeof r === "string" ? r : "";
        });
      },
      /** Marks each ticked choice right or wrong (`right` of its bank index) and shows its feedback.
       * @param {HTMLElement} fs @param {(index: number) => boolean} right */
      markTicked: function (fs, right) {
        all(fs, ".sb-choice").forEach(function (choice) {
          var input = /** @type {HTMLInputElement} */ (choice.querySelector("input"));
          if (!input.checked) return;
          var feedback = /** @type {HTMLElement|null} */ (choice.querySelector(".sb-feedback"));
          if (feedback) feedback.hidden = false;
          mark(choice, right(Number(choice.dataset.index)));
        });
      },
      /** Marks the parts (`selector`: items, pairs, gaps) right or wrong as the result's parts say.
       * @param {HTMLElement} fs @param {string} selector @param {any} result */
      markParts: function (fs, selector, result) {
        all(fs, selector).forEach(function (node, i) { mark(node, !!result.parts[i]); });
      },
    };
  }

  /** @param {HTMLElement} node @param {boolean} right */
  function mark(node, right) { node.classList.add(right ? "sb-right" : "sb-wrong"); }

  Question.prototype.build = function () {
    var self = this, S = this.quiz.S;
    if (this.type.setup) this.type.setup(this.fs, this.q, this.ui);
    var actions = el("div", "sb-actions");
    this.hintButton = button(S.hint, function () { self.showHint(true); });
    // An open response is not checked but kept: its button says what it does.
    this.checkButton = button(this.graded ? S.check : S.save, function () { self.check(); });
    this.revealButton = button(S.reveal, function () { self.reveal(true); });
    this.revealButton.hidden = true;
    this.hintButton.hidden = !this.fs.querySelector(".sb-hint");
    actions.append(this.hintButton, this.checkButton, this.revealButton);
    this.message = el("p", "sb-result");
    this.message.tabIndex = -1;  // focus lands here when the button that was used goes away
    // What the button makes appear (model answer, rubric, explanation) comes after it, so Tab goes on to it.
    var before = this.fs.querySelector(".sb-model, .sb-explanation");
    this.fs.insertBefore(actions, before);
    this.fs.insertBefore(this.message, before);
  };

  Question.prototype.getResponse = function () { return this.type.read(this.fs, this.q, this.ui); };

  /** Puts a response (saved, or the revealed answer) into the controls; anything odd is left out.
   * @param {any} r */
  Question.prototype.setResponse = function (r) { this.type.write(this.fs, this.q, r, this.ui); };

  /** @param {boolean} locked */
  Question.prototype.lock = function (locked) {
    all(this.fs, CONTROLS).forEach(function (c) { /** @type {HTMLInputElement} */ (c).disabled = locked; });
    this.checkButton.disabled = locked;
  };

  /** @param {boolean} announce */
  Question.prototype.showHint = function (announce) {
    var hints = all(this.fs, ".sb-hint");
    if (this.hints < hints.length && announce) this.hints++;
    var shown = this.hints;
    hints.forEach(function (h, i) { h.hidden = i >= shown; });
    var hadFocus = document.activeElement === this.hintButton;
    this.hintButton.disabled = this.hints >= hints.length;
    // A button that disables itself drops the focus to the page; keep it in the question.
    if (hadFocus && this.hintButton.disabled) (this.checkButton.disabled ? this.message : this.checkButton).focus();
    if (announce) {
      this.quiz.say((hints[this.hints - 1].textContent || "").trim());
      this.quiz.save();
    }
  };

  /** @param {string} text @param {string} kind @param {boolean} announce */
  Question.prototype.tell = function (text, kind, announce) {
    this.message.textContent = text;
    this.message.className = "sb-result " + kind;
    var num = this.fs.querySelector(".sb-num");
    if (announce) this.quiz.say((num ? num.textContent + ": " : "") + text);
  };

  Question.prototype.check = function () {
    var response = this.getResponse();
    var result = G.grade(this.q, response);
    if (!result.valid) {
      var problem = this.type.problem ? this.type.problem(this.q, response, result) : result.problem;
      this.tell(fill(this.quiz.S[problem] || this.quiz.S.empty, { example: typeof response === "string" ? response.trim().replace(",", ".") : "" }),
        "sb-problem", true);
      return;
    }
    // The same wrong answer again costs no attempt: the student has not tried anything new.
    if (this.result && !this.result.correct && this.graded &&
        JSON.stringify(response) === JSON.stringify(this.response)) {
      this.tell(this.quiz.S.unchanged, "sb-problem", true);
      return;
    }
    this.attempts++;
    this.response = response;
    this.result = result;
    this.last = new Date().toISOString();
    this.first = this.first || this.last;
    this.show(true);
    this.quiz.save();
    if (this.checkButton.disabled) this.message.focus();
  };

  /** Shows what the last graded response earned. @param {boolean} announce */
  Question.prototype.show = function (announce) {
    var q = this.q, S = this.quiz.S, r = this.response, result = this.result, fs = this.fs;
    all(fs, ".sb-feedback").forEach(function (f) { f.hidden = true; });
    all(fs, ".sb-right, .sb-wrong").forEach(function (m) { m.classList.remove("sb-right", "sb-wrong"); });
    this.type.mark(fs, q, r, result, this.ui);
    if (!this.graded) {
      this.tell(S.saved, "sb-open", announce);
      return;
    }
    var finished = result.correct || this.attempts >= q.attempts || this.revealed;
    var verdict = result.correct ? S.right : result.score > 0 ? fill(S.partly, { percent: Math.round(result.score * 100) })
      : S.wrong;
    var left = q.attempts - this.attempts;
    var text = verdict + " " + (this.revealed ? S.revealed : finished ? (result.correct ? "" : S.no_attempts)
      : fill(S.attempts_left, { n: left }));
    this.tell(text.trim(), result.correct ? "sb-is-right" : result.score > 0 ? "sb-is-partly" : "sb-is-wrong", announce);
    this.finish(finished);
  };

  /** @param {boolean} finished */
  Question.prototype.finish = function (finished) {
    var explanation = /** @type {HTMLElement|null} */ (this.fs.querySelector(".sb-explanation"));
    if (explanation) explanation.hidden = !finished;
    this.lock(finished);
    this.revealButton.hidden = !finished || this.revealed || !this.result || this.result.correct;
  };

  /** @param {boolean} announce */
  Question.prototype.reveal = function (announce) {
    this.revealed = true;
    this.setResponse(G.correctResponse(this.q));
    var saved = this.response;
    this.response = G.correctResponse(this.q);
    var result = this.result;
    this.result = G.grade(this.q, this.response);
    this.show(false);
    // The score stays what the student's own answer earned.
    this.result = result;
    this.response = saved;
    this.tell(this.quiz.S.revealed, "sb-is-revealed", announce);
    if (announce) {
      this.quiz.save();
      this.message.focus();
    }
  };

  Question.prototype.reset = function () {
    this.attempts = this.hints = 0;
    this.revealed = false;
    this.result = this.response = null;
    this.first = this.last = null;
    this.setResponse(null);
    if (this.type.reset) this.type.reset(this.fs, this.q, this.ui);
    all(this.fs, ".sb-model").forEach(function (m) { m.hidden = true; });
    all(this.fs, ".sb-rubric input").forEach(function (i) { /** @type {HTMLInputElement} */ (i).checked = false; });
    this.showHint(false);
    this.tell("", "", false);
    this.finish(false);
    all(this.fs, ".sb-feedback").forEach(function (f) { f.hidden = true; });
    all(this.fs, ".sb-right, .sb-wrong").forEach(function (m) { m.classList.remove("sb-right", "sb-wrong"); });
  };

  /** Applies saved state; anything that does not fit is skipped. @param {any} saved */
  Question.prototype.restore = function (saved) {
    if (!saved || typeof saved !== "object") return;
    this.hints = Math.min(count(saved.hints), all(this.fs, ".sb-hint").length);
    this.showHint(false);
    var result = G.grade(this.q, saved.response);
    if (count(saved.attempts) > 0 && result.valid) {
      this.attempts = Math.min(count(saved.attempts), this.q.attempts);
      this.first = typeof saved.first_checked === "string" ? saved.first_checked : null;
      this.last = typeof saved.last_checked === "string" ? saved.last_checked : null;
      this.response = saved.response;
      this.result = result;
      this.setResponse(saved.response);
      this.show(false);
      if (saved.revealed === true && this.attempts >= this.q.attempts) this.reveal(false);
    }
    var ticks = Array.isArray(saved.rubric) ? saved.rubric : [];
    all(this.fs, ".sb-rubric input").forEach(function (box, i) {
      /** @type {HTMLInputElement} */ (box).checked = ticks.indexOf(i) >= 0;
    });
  };

  /** The rubric criteria the student ticked (their positions), for an open response. @returns {number[]} */
  Question.prototype.ticks = function () {
    return all(this.fs, ".sb-rubric input").map(function (box, i) {
      return /** @type {HTMLInputElement} */ (box).checked ? i : -1;
    }).filter(function (i) { return i >= 0; });
  };

  Question.prototype.state = function () {
    return { response: this.response, rubric: this.ticks(), attempts: this.attempts, hints: this.hints, revealed: this.revealed,
      points: this.result && this.result.valid ? this.result.points : 0,
      // What a hand-in file needs besides (handin.js reads it back from storage).
      type: this.q.type, skill: this.q.skill, max_points: this.graded ? this.q.points : 0,
      first_checked: this.first, last_checked: this.last };
  };

  // --- one quiz ------------------------------------------------------------------

  /** @param {HTMLElement} root */
  function Quiz(root) {
    var self = this;
    var data = JSON.parse(/** @type {Element} */ (root.querySelector("script.sb-data")).textContent || "{}");
    this.root = root;
    this.title = data.title;
    this.S = data.strings;
    this.key = root.dataset.key || "";
    this.fingerprint = root.dataset.fingerprint || "";
    // The bank's path, the course and each question's fingerprint, for hand-in files (from the page, if there).
    var meta = root.nextElementSibling;
    this.meta = meta && meta.matches("script.sb-handin-meta") ? JSON.parse(meta.textContent || "{}") : {};
    this.live = /** @type {HTMLElement} */ (root.querySelector(".sb-live"));
    this.notice = /** @type {HTMLElement} */ (root.querySelector(".sb-notice"));
    this.summary = /** @type {HTMLElement} */ (root.querySelector(".sb-summary"));
    this.store = storage();
    if (!this.store) showNotice(this.notice, this.S.notice_no_storage);
    var saved = readSaved(this.store, this.key, this.fingerprint);
    if (saved.problem) showNotice(this.notice, this.S[saved.problem]);
    var state = saved.state || {};
    // The order a student sees stays the same on every visit: from the saved progress, or from the one
    // seed this browser keeps for the student and the quiz's key.
    this.seed = typeof state.seed === "string" ? state.seed : studentSeed(this.store) + ":" + this.key;

    var byId = new Map(all(root, ".sb-q").map(function (fs) { return [fs.dataset.id, fs]; }));
    /** @type {any[]} */
    this.questions = data.questions.map(function (/** @type {any} */ q) {
      return new Question(q, /** @type {HTMLElement} */ (byId.get(q.id)), self);
    });
    // Only a quiz without a seed is mixed here, per student; a seeded order is already the page's.
    if (root.dataset.shuffle === "true" || root.dataset.mixChoices === "true") {
      this.shuffle(this.seed, root.dataset.shuffle === "true");
    }
    var reset = button(this.S.reset, function () { self.reset(); });
    var actions = el("div", "sb-actions");
    actions.append(reset);
    root.insertBefore(actions, this.live);
    try {
      this.questions.forEach(function (question) { question.restore(own(state.answers, question.q.id)); });
    } catch (e) {
      // Storage written by something else must never break the page.
      this.questions.forEach(function (question) { question.reset(); });
      showNotice(this.notice, this.S.notice_corrupt);
    }
    this.update();
  }

  /** Mixes the questions (if `questions`) and, where allowed, their choices, as sourcebook.selection.arrange
   * does with a seed. @param {string} seed @param {boolean} questions */
  Quiz.prototype.shuffle = function (seed, questions) {
    var random = G.seededRandom(seed);
    if (questions) place(this.questions.map(function (question) { return question.fs; }), random);
    this.questions.forEach(function (question) {
      if (question.type.mixes && question.type.mixes(question.q)) {
        place(all(question.fs, ".sb-choice"), random);
      }
    });
    var S = this.S;
    all(this.root, ".sb-q").forEach(function (fs, i) {
      var num = fs.querySelector(".sb-num");
      if (num) num.textContent = fill(S.question, { n: i + 1 });
    });
  };

  /** Announces text through the quiz's live region. @param {string} text */
  Quiz.prototype.say = function (text) {
    this.live.textContent = "";
    this.live.textContent = text;
  };

  Quiz.prototype.totals = function () {
    // Keyed by the bank's skill names: no prototype, so a skill called "__proto__" is just a name.
    var totals = { points: 0, max: 0, answered: 0, questions: 0,
      skills: /** @type {Record<string, number[]>} */ (Object.create(null)) };
    this.questions.forEach(function (/** @type {any} */ question) {
      var q = question.q;
      if (!question.graded) return;
      var points = question.result && question.result.valid ? question.result.points : 0;
      var skill = totals.skills[q.skill] || (totals.skills[q.skill] = [0, 0]);
      totals.points += points; totals.max += q.points; totals.questions++;
      if (question.result) totals.answered++;
      skill[0] += points; skill[1] += q.points;
    });
    return totals;
  };

  Quiz.prototype.update = function () {
    var S = this.S, t = this.totals();
    this.summary.replaceChildren();
    this.summary.hidden = !t.answered;
    if (!t.answered) return;
    var list = el("ul");
    Object.keys(t.skills).forEach(function (skill) {
      list.append(el("li", "", fill(S.skill_score, { skill: skill || S.other, points: fmt(t.skills[skill][0]),
        max: fmt(t.skills[skill][1]) })));
    });
    this.summary.append(el("p", "sb-score", fill(S.score, { points: fmt(t.points), max: fmt(t.max) })),
      el("p", "sb-label", S.by_skill), list);
  };

  Quiz.prototype.save = function () {
    this.update();
    if (!this.store) return;
    /** @type {Record<string, unknown>} */
    var answers = Object.create(null);
    this.questions.forEach(function (/** @type {any} */ q) { answers[q.q.id] = q.state(); });
    var t = this.totals();
    var state = { fingerprint: this.fingerprint, title: this.title, seed: this.seed, updated: new Date().toISOString(),
      bank: this.meta.bank, course: this.meta.course, fingerprints: this.meta.fingerprints,
      score: { points: t.points, max_points: t.max, answered: t.answered, questions: t.questions }, answers: answers };
    try {
      this.store.setItem(PREFIX + this.key, JSON.stringify(state));
    } catch (e) {
      showNotice(this.notice, this.S.notice_no_storage);
    }
  };

  Quiz.prototype.reset = function () {
    // Written work is not thrown away without asking.
    var written = all(this.root, ".sb-typed textarea").some(function (t) {
      return /** @type {HTMLTextAreaElement} */ (t).value.trim() !== "";
    });
    if (written && !window.confirm(this.S.reset_confirm)) return;
    this.questions.forEach(function (/** @type {any} */ q) { q.reset(); });
    if (this.store) this.store.removeItem(PREFIX + this.key);
    this.notice.hidden = true;
    this.update();
    this.say(this.S.reset);
  };

  // --- the progress page ---------------------------------------------------------

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
        var fields = studentFields(root, S);
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
        download("sourcebook-results.json", "application/json",
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
        download("sourcebook-results.csv", "text/csv", "\uFEFF" + rows.map(function (row) {
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

  /** @param {string} name @param {string} type @param {string} text */
  function download(name, type, text) {
    var a = /** @type {HTMLAnchorElement} */ (el("a"));
    a.href = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  // What handin.js shares with this script: the one namespace the page's scripts add besides grading.js's.
  /** @type {any} */ (window).sourcebookQuiz = Object.freeze({
    prefix: PREFIX, studentKey: STUDENT, storage: storage, fill: fill, studentFields: studentFields,
  });

  function start() {
    all(document, ".sb-quiz[data-sourcebook-quiz]").forEach(function (root) { new Quiz(root); });
    all(document, ".sb-progress[data-sourcebook-progress]").forEach(showProgress);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
