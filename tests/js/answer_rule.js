// Run the self-test page's answer rule (studygen/targets/selftest/static/answers.js) on a batch of cases.
//   stdin:  {"rule": <payload answerRule>, "cases": [[given, [accepted...], caseSensitive, [rivals...]], ...]}
//   stdout: [{"key": <key of given>, "right": bool, "exact": bool, "nearest": str, "edits": int}, ...]
// Used by tests/test_answer_rule.py to prove the page and Python grading give the same verdicts.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const source = fs.readFileSync(
  path.join(__dirname, "..", "..", "studygen", "targets", "selftest", "static", "answers.js"),
  "utf8",
);
const context = vm.createContext({});
vm.runInContext(source, context, { filename: "answers.js" });
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const rule = vm.runInContext("StudygenAnswers", context).make(input.rule);
const out = input.cases.map(([given, accepted, caseSensitive, rivals]) => ({
  key: rule.key(given, caseSensitive),
  ...rule.judge(given, accepted, caseSensitive, rivals),
}));
process.stdout.write(JSON.stringify(out));
