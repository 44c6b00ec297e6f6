// Parse GIFT with the independent gift-pegjs grammar and print the result as JSON.
//   node tests/js/gift_parse.js FILE      -> the parsed questions of FILE
//   node tests/js/gift_parse.js --batch   -> stdin: JSON array of GIFT texts;
//                                            stdout: [{ok, questions} | {ok: false, error}]
// Used by tests/test_export_gift.py so GIFT output is checked by a grammar we did not write.
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require(path.join(__dirname, "..", "..", "node_modules", "gift-pegjs"));

function parseOne(text) {
  try {
    return { ok: true, questions: parse(text) };
  } catch (err) {
    const where = err.location ? `${err.location.start.line}:${err.location.start.column}` : "?";
    return { ok: false, error: `${where}: ${err.message}` };
  }
}

const arg = process.argv[2];
if (arg === "--batch") {
  const texts = JSON.parse(fs.readFileSync(0, "utf8"));
  process.stdout.write(JSON.stringify(texts.map(parseOne)));
} else if (arg) {
  const result = parseOne(fs.readFileSync(arg, "utf8"));
  if (!result.ok) {
    process.stderr.write(result.error + "\n");
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(result.questions, null, 1));
} else {
  process.stderr.write("usage: gift_parse.js FILE | --batch\n");
  process.exit(2);
}
