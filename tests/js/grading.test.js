// The conformance vectors of tests/conformance/ against static/grading.js.
// Run by tests/test_grading_js.py, which turns the YAML into the JSON file
// named by SOURCEBOOK_VECTORS (questions as sourcebook.model.to_data gives them).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

// The grader as written, or the folder given (the minified files the site serves): grading.js, the helpers
// some types use (rules/), then each question type's script from types/, which registers the type's rules with it.
const folder = process.env.SOURCEBOOK_STATIC || path.join(__dirname, "..", "..", "src", "sourcebook", "static");
const grading = require(path.join(folder, "grading.js"));
for (const name of fs.readdirSync(path.join(folder, "rules")).sort()) require(path.join(folder, "rules", name));
for (const name of fs.readdirSync(path.join(folder, "types")).sort()) require(path.join(folder, "types", name));
// Each type's helpers as its QuestionType declares them (script_helpers), by type: a page loads only these.
const helpers = JSON.parse(process.env.SOURCEBOOK_HELPERS);
const vectors = JSON.parse(fs.readFileSync(process.env.SOURCEBOOK_VECTORS, "utf8"));
const questions = new Map(vectors.questions.map((q) => [q.id, q]));

function same(expected, got) {
  if (typeof expected === "number" && typeof got === "number") return Math.abs(expected - got) <= 1e-12;
  return JSON.stringify(expected) === JSON.stringify(got);
}

for (const c of vectors.cases) {
  test(`${c.question}: ${JSON.stringify(c.response)}`, () => {
    const result = grading.grade(questions.get(c.question), c.response);
    for (const [key, expected] of Object.entries(c.expect)) {
      assert.ok(same(expected, result[key]), `${key}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(result[key])}`);
    }
  });
}

for (const c of vectors.orders) {
  test(`order of seed ${JSON.stringify(c.seed)}: ${JSON.stringify(c.sizes)}`, () => {
    const random = grading.seededRandom(c.seed);
    const got = c.sizes.map((size) => grading.mix(Array.from({ length: size }, (_, i) => i), random));
    assert.deepStrictEqual(got, c.orders);
  });
}

for (const c of vectors.numbers) {
  test(`number ${c.value} (${c.places})`, () => {
    assert.strictEqual(grading.formatNumber(c.value, c.places === undefined ? undefined : c.places), c.text);
  });
}

for (const c of vectors.answers) {
  test(`revealed number ${c.text}`, () => {
    const q = { type: "numeric", id: "n", points: 1, unit: "", answer: c.answer === undefined ? null : c.answer,
      tolerance: c.tolerance || 0, min: c.min === undefined ? null : c.min, max: c.max === undefined ? null : c.max };
    assert.strictEqual(grading.correctResponse(q), c.text);
    assert.strictEqual(grading.grade(q, grading.correctResponse(q)).correct, true);
  });
}

test("the revealed answer earns full marks for every graded question", () => {
  for (const q of vectors.questions) {
    if (q.type === "open") continue;
    const result = grading.grade(q, grading.correctResponse(q));
    assert.strictEqual(result.correct, true, q.id);
  }
});

// A page loads grading.js, the helpers its types declare and their scripts only: each type, loaded so alone
// in a fresh global scope, grades every case of its questions as with every script loaded.
for (const [type, needs] of Object.entries(helpers)) {
  test(`the ${type} type with only its declared helpers`, () => {
    const scope = vm.createContext({});
    for (const file of ["grading.js", ...needs, `types/${type}.js`]) {
      vm.runInContext(fs.readFileSync(path.join(folder, file), "utf8"), scope, { filename: file });
    }
    const alone = scope.sourcebookGrading;
    let checked = 0;
    for (const c of vectors.cases) {
      const q = questions.get(c.question);
      if (q.type !== type) continue;
      const result = alone.grade(q, c.response);
      for (const [key, expected] of Object.entries(c.expect)) {
        assert.ok(same(expected, result[key]), `${c.question} ${key}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(result[key])}`);
      }
      checked++;
    }
    for (const q of vectors.questions) {
      if (q.type === type && q.type !== "open") assert.strictEqual(alone.grade(q, alone.correctResponse(q)).correct, true, q.id);
    }
    assert.ok(checked > 0, `no case of ${type}`);
  });
}
