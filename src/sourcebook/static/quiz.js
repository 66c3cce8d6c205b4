// @ts-check
/* Quizzes on the course site: makes the worksheet markup of sourcebook/html.py
 * interactive, with no server and no framework.
 *
 * The page already holds every text (rendered from the bank at build time);
 * this script only shows and hides it, adds buttons, grades with grading.js
 * and saves progress in localStorage. It never parses strings as HTML: text
 * from the student or from storage only ever reaches .value or .textContent.
 * A classic script (not a module), so pages work from file:// too. Its one
 * global, window.sourcebookQuiz, gives handin.js (the hand-in form and the
 * student's name fields, loaded on demand) and progress.js (the progress
 * page) the storage and the helpers they share with it.
 */
(function () {
  "use strict";

  /** @type {any} */
  var G = /** @type {any} */ (window).sourcebookGrading;
  var PREFIX = "sourcebook:v1:";
  /** Where the student's name and class are kept (handin.js's fields): beside the quizzes, but not one. */
  var STUDENT = PREFIX + "student";
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

  /** Whether saved state `a` of a question has come further than `b`: a later check, else more attempts, hints,
   * or the answer shown. @param {any} a @param {any} b */
  function further(a, b) {
    /** @param {any} s */
    function steps(s) {
      return [s && typeof s.last_checked === "string" ? s.last_checked : "", count(s && s.attempts),
        count(s && s.hints), s && s.revealed === true ? 1 : 0];
    }
    var x = steps(a), y = steps(b);
    for (var i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] > y[i];
    return false;
  }

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

  /** Marks a part right or wrong: by its class (its ✓ or ✗ and border), and a box or drop-down (a gap) also for
   * screen readers, which say a wrong one's entry is invalid. @param {HTMLElement} node @param {boolean} right */
  function mark(node, right) {
    node.classList.add(right ? "sb-right" : "sb-wrong");
    if (node.matches("input, select")) node.setAttribute("aria-invalid", right ? "false" : "true");
  }

  /** Takes the marks of the last check away. @param {HTMLElement} fs */
  function unmark(fs) {
    all(fs, ".sb-right, .sb-wrong").forEach(function (m) {
      m.classList.remove("sb-right", "sb-wrong");
      m.removeAttribute("aria-invalid");
    });
  }

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
      // "Question 2: Hint 1 of 2: Read the first line.", its label and paragraphs said as words apart.
      var hint = hints[this.hints - 1], num = this.fs.querySelector(".sb-num");
      var words = Array.prototype.map.call(hint.children.length ? hint.children : [hint], function (/** @type {Element} */ part) {
        return (part.textContent || "").trim();
      }).filter(Boolean).join(" ");
      this.quiz.say((num ? num.textContent + ": " : "") + words);
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
    // The Check button is off now: the focus goes on to what the student can do next (Show the answer, which
    // comes before the verdict in the page, so Tab would pass it), else to the verdict.
    if (this.checkButton.disabled) (this.revealButton.hidden ? this.message : this.revealButton).focus();
  };

  /** Shows what the last graded response earned. @param {boolean} announce */
  Question.prototype.show = function (announce) {
    var q = this.q, S = this.quiz.S, r = this.response, result = this.result, fs = this.fs;
    all(fs, ".sb-feedback").forEach(function (f) { f.hidden = true; });
    unmark(fs);
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
    unmark(this.fs);
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

  /** One quiz, set up as the browser's parser delivers it (see `start`): each question as soon as its markup is
   * whole, the quiz-level parts (reset, score, hand-in) once the page is. @param {HTMLElement} root */
  function Quiz(root) {
    var data = JSON.parse(/** @type {Element} */ (root.querySelector("script.sb-data")).textContent || "{}");
    this.root = root;
    this.title = data.title;
    this.S = data.strings;
    this.key = root.dataset.key || "";
    this.fingerprint = root.dataset.fingerprint || "";
    this.handsIn = false;
    this.meta = {};
    this.notice = /** @type {HTMLElement} */ (root.querySelector(".sb-notice"));
    this.store = storage();
    if (!this.store) showNotice(this.notice, this.S.notice_no_storage);
    var saved = readSaved(this.store, this.key, this.fingerprint);
    if (saved.problem) showNotice(this.notice, this.S[saved.problem]);
    this.state = saved.state || {};
    // The order a student sees stays the same on every visit: from the saved progress, or from the one
    // seed this browser keeps for the student and the quiz's key.
    this.seed = typeof this.state.seed === "string" ? this.state.seed : studentSeed(this.store) + ":" + this.key;
    /** The questions' data in the page's order; `questions` holds those set up so far, in the same order. */
    this.data = /** @type {any[]} */ (data.questions);
    /** @type {any[]} */
    this.questions = [];
    // Only a quiz without a seed is mixed here, per student; a seeded order is already the page's. Questions
    // mixed per student can only be placed once all are there; choices are mixed question by question.
    this.mixesQuestions = root.dataset.shuffle === "true";
    this.random = this.mixesQuestions || root.dataset.mixChoices === "true" ? G.seededRandom(this.seed) : null;
    this.whole = false;
    /** @type {HTMLElement|null} */
    this.live = null;
    /** What was to be said while the live region was not there yet. @type {string} */
    this.unsaid = "";
    this.unsaved = false;
    this.corrupt = false;
  }

  /** Sets up the questions whose markup is whole (all of them once `whole`), in the page's order: each is built,
   * its choices mixed and its saved progress restored before it is shown (quiz.css hides a question until then,
   * while the page loads). @param {boolean} whole */
  Quiz.prototype.take = function (whole) {
    if (this.mixesQuestions && !whole) return;
    /** @type {Map<string|undefined, HTMLElement>} */
    var parsed = new Map();
    all(this.root, ".sb-q").forEach(function (fs) {
      // A question is whole once the parser has gone past it (past the list, for the last one).
      if (whole || fs.nextSibling || (fs.parentNode && fs.parentNode.nextSibling)) parsed.set(fs.dataset.id, fs);
    });
    var self = this, added = [];
    while (this.questions.length < this.data.length && parsed.has(this.data[this.questions.length].id)) {
      var q = this.data[this.questions.length];
      var question = new Question(q, /** @type {HTMLElement} */ (parsed.get(q.id)), this);
      this.questions.push(question);
      added.push(question);
    }
    if (whole && this.questions.length < this.data.length) throw new Error("quiz " + this.key + ": a question is missing");
    if (this.random) this.shuffle(added, this.random, this.mixesQuestions);
    added.forEach(function (question) {
      if (!self.corrupt) {
        try {
          question.restore(own(self.state.answers, question.q.id));
        } catch (e) {
          // Storage written by something else must never break the page.
          self.corrupt = true;
          self.questions.forEach(function (/** @type {any} */ each) { each.reset(); });
          showNotice(self.notice, self.S.notice_corrupt);
        }
      }
    });
    added.forEach(function (question) { question.fs.classList.add("sb-ready"); });
  };

  /** Sets up what is left once the page's markup is whole: the last questions, reset, the score and the hand-in
   * form's data (the script element after the quiz); saves what was answered meanwhile. */
  Quiz.prototype.complete = function () {
    var self = this, root = this.root;
    this.take(true);
    this.whole = true;
    // The bank's path, the course and each question's fingerprint, for hand-in files (from the page, if there).
    var meta = root.nextElementSibling;
    this.handsIn = !!meta && meta.matches("script.sb-handin-meta");  // a quiz of the course site, with a hand-in form
    this.meta = this.handsIn ? JSON.parse(/** @type {Element} */ (meta).textContent || "{}") : {};
    this.live = /** @type {HTMLElement} */ (root.querySelector(".sb-live"));
    this.summary = /** @type {HTMLElement} */ (root.querySelector(".sb-summary"));
    var reset = button(this.S.reset, function () { self.reset(); });
    var actions = el("div", "sb-actions");
    actions.append(reset);
    root.insertBefore(actions, this.live);
    if (this.unsaved) this.save();
    else this.update();
    if (this.unsaid) this.say(this.unsaid);
    // Another tab of this quiz saved (or started again): shown here at once, so that both tabs hold every answer.
    window.addEventListener("storage", function (event) {
      if (event.storageArea !== self.store || (event.key !== null && event.key !== PREFIX + self.key)) return;
      var saved = readSaved(self.store, self.key, self.fingerprint);
      if (saved.state) {
        if (self.merge(saved.state)) self.save();
        else self.update();
      } else if (!saved.problem) {  // its progress was removed there (Start again, or cleared)
        self.questions.forEach(function (/** @type {any} */ q) { q.reset(); });
        self.update();
      }
    });
  };

  /** Mixes the `questions` set up last, as sourcebook.selection.arrange does with a seed: their places (if
   * `places`: all questions at once) and, where allowed, their choices, from one stream of random numbers.
   * @param {any[]} questions @param {() => number} random @param {boolean} places */
  Quiz.prototype.shuffle = function (questions, random, places) {
    if (places) place(questions.map(function (question) { return question.fs; }), random);
    questions.forEach(function (question) {
      if (question.type.mixes && question.type.mixes(question.q)) {
        place(all(question.fs, ".sb-choice"), random);
      }
    });
    if (!places) return;
    var S = this.S;
    all(this.root, ".sb-q").forEach(function (fs, i) {
      var num = fs.querySelector(".sb-num");
      if (num) num.textContent = fill(S.question, { n: i + 1 });
    });
  };

  /** Announces text through the quiz's live region. @param {string} text */
  Quiz.prototype.say = function (text) {
    if (!this.live) {
      // The page is still loading and the live region (at the quiz's end) is not there yet: said once it is.
      this.unsaid = text;
      return;
    }
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

  /** Takes in what another tab of this quiz saved: each question whose saved state has come further than this
   * page's is shown as saved. Returns whether this page has a question further than the saved state.
   * @param {any} state */
  Quiz.prototype.merge = function (state) {
    var ahead = false;
    this.questions.forEach(function (/** @type {any} */ question) {
      var theirs = own(state.answers, question.q.id), mine = question.state();
      if (further(theirs, mine)) {
        question.reset();
        question.restore(theirs);
      } else if (further(mine, theirs)) {
        ahead = true;
      }
    });
    return ahead;
  };

  Quiz.prototype.save = function () {
    // Answered while the page loads: saved (with the questions not set up yet) once it is whole.
    if (!this.whole) {
      this.unsaved = true;
      return;
    }
    // The same quiz open in another tab may have saved since: its answers are kept too, not written over.
    var stored = this.store ? readSaved(this.store, this.key, this.fingerprint) : {};
    if (stored.state && !this.corrupt) this.merge(stored.state);
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
    if (this.handsIn) loadHandIn();
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

  // --- the hand-in form, loaded when there is something to hand in ------------------

  // handin.js (the form, the student's name fields, the file) is not needed to answer: under a quiz of the course
  // site it is loaded once this browser holds saved progress (at start, or at the quiz's first save). A script
  // element, not fetch(), so that it loads from file:// too.
  var ownScript = /** @type {HTMLScriptElement|null} */ (document.currentScript);

  /** The address of a script loaded on demand: as the site lists it on this script's element (with its version,
   * relative to this script), else beside this script (the preview). @param {string} name */
  function onDemand(name) {
    if (!ownScript || !ownScript.src) return "";
    var listed = (ownScript.getAttribute("data-on-demand") || "").split(" ").filter(function (address) {
      return address.split("?")[0] === name;
    })[0];
    if (listed) return new URL(listed, ownScript.src).href;
    return /quiz\.js(\?|#|$)/.test(ownScript.src) ? ownScript.src.replace(/quiz\.js(?=[?#]|$)/, name).split("?")[0] : "";
  }
  var handinAddress = onDemand("handin.js");
  var handinAsked = false;

  function loadHandIn() {
    if (handinAsked || !handinAddress) return;
    handinAsked = true;
    if (document.querySelector('script[src*="handin.js"]')) return;  // the page loads it itself (progress page)
    var script = document.createElement("script");
    script.src = handinAddress;
    document.head.append(script);
  }

  /** Whether this browser holds saved progress of any quiz. @param {Storage|null} store */
  function anySaved(store) {
    if (!store) return false;
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0 && name !== STUDENT) return true;
    }
    return false;
  }

  // What the progress page's and the hand-in form's scripts share with this one: the one namespace the page's
  // scripts add besides grading.js's.
  /** @type {any} */ (window).sourcebookQuiz = Object.freeze({
    prefix: PREFIX, studentKey: STUDENT, storage: storage, readSaved: readSaved, fill: fill, fmt: fmt, el: el,
    button: button, all: all, showNotice: showNotice,
  });

  /** Sets up every quiz as the page's markup arrives. This script loads without waiting for the page (async),
   * so a student can answer the first questions while the rest is still on its way: a question is set up as
   * soon as the parser has gone past it, the quiz-level parts once the page is whole (DOMContentLoaded). */
  function start() {
    /** @type {Map<HTMLElement, any>} */
    var quizzes = new Map();
    function take() {
      all(document, ".sb-quiz[data-sourcebook-quiz]").forEach(function (root) {
        // Its data (the script element first in it) is whole once the parser has gone past it.
        if (!quizzes.has(root) && root.querySelector(".sb-questions")) quizzes.set(root, new Quiz(root));
        var quiz = quizzes.get(root);
        if (quiz) quiz.take(false);
      });
    }
    function complete() {
      all(document, ".sb-quiz[data-sourcebook-quiz]").forEach(function (root) {
        if (!quizzes.has(root)) quizzes.set(root, new Quiz(root));
        quizzes.get(root).complete();
      });
      var list = Array.from(quizzes.values());
      if (list.some(function (quiz) { return quiz.handsIn; }) && anySaved(storage())) loadHandIn();
    }
    if (document.readyState !== "loading") {
      complete();
      return;
    }
    take();
    var observer = new MutationObserver(take);
    observer.observe(document, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", function () {
      observer.disconnect();
      complete();
    });
  }

  start();
})();
