// Runs sourcebook/bytecode.py inside Pyodide under Node.js when the site is built, so that
// the wheels' bytecode is written by the very Python the in-browser kernel runs.
//   node bytecode.mjs PYODIDE_FOLDER SOURCE_FOLDER TARGET_FOLDER WHEEL...
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [runtime, source, target, ...wheels] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: runtime + "/" });
const { FS } = pyodide;
for (const [folder, mountpoint] of [[source, "/source"], [target, "/target"]]) {
  FS.mkdirTree(mountpoint);
  FS.mount(FS.filesystems.NODEFS, { root: folder }, mountpoint);
}
const namespace = pyodide.globals.get("dict")();
pyodide.runPython(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "bytecode.py"), "utf8"),
                  { globals: namespace });
namespace.get("compile_wheels")("/source", "/target", pyodide.toPy(wheels));
