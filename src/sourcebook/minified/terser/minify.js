// Minifies the scripts given on standard input ({"name": "source", ...}) with terser's options below and
// writes {"name": "minified", ...}: run by `python -m sourcebook.minify` with the terser of package-lock.json.
"use strict";
const { minify } = require("terser");

const OPTIONS = {
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
};

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const sources = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const out = {};
  for (const name of Object.keys(sources).sort()) {
    out[name] = (await minify({ [name]: sources[name] }, OPTIONS)).code;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
