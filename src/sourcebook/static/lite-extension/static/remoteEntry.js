// @ts-check
// A JupyterLite plugin that starts the opened notebook's kernel as soon as the
// app has started (its plugins activated), so that Pyodide loads in its worker
// while the app is still reading the notebook and laying it out, instead of
// after. The notebook then finds the session running for its path and
// connects to it, as JupyterLab does with a kernel started before it opened:
// one kernel, the same one, only sooner.
//
// The notebook may ask for its session while this start is still under way:
// JupyterLite lists a session only once its kernel is made, so the notebook
// would not find it and would start a second kernel (a second Pyodide, twice
// the processor and memory). Its request for that path therefore waits until
// this start has settled; JupyterLite then hands it the session of the same
// name instead of making another.
//
// A federated extension written by hand: the app loads this script, then asks
// `_JUPYTERLAB[name].get("./extension")` for the module whose default export
// lists the plugins. No bundler is needed for a plugin that imports nothing.
// Should anything here fail, the notebook starts its kernel itself, as before.
(() => {
  const plugin = {
    id: "sourcebook-kernel-start:plugin",
    description: "Starts the opened notebook's kernel as soon as the app has started.",
    autoStart: true,
    /** @param {any} app */
    activate: (app) => {
      const path = new URLSearchParams(window.location.search).get("path");
      if (!path || !path.endsWith(".ipynb")) return;
      const { sessions, kernelspecs } = app.serviceManager;
      const startNew = sessions.startNew.bind(sessions);
      const started = (async () => {
        // The Pyodide kernel's own plugin registers the kernel as the app starts.
        await Promise.all([app.started, sessions.ready, kernelspecs.ready]);
        await kernelspecs.refreshSpecs();
        const kernel = kernelspecs.specs?.default;
        if (!kernel) return;
        await sessions.refreshRunning();
        for (const running of sessions.running()) if (running.path === path) return;
        // The notebook's own session has the same path and name (the file's name), so it finds this one.
        const session = await startNew({ path, name: path.split("/").pop(), type: "notebook",
                                         kernel: { name: kernel } });
        session.dispose(); // this connection only: the session and its kernel keep running
      })().catch((error) => console.warn("The notebook's kernel could not be started early:", error));
      /** @param {any} options @param {any[]} rest */
      sessions.startNew = async (options, ...rest) => {
        if (options?.path === path) await started;
        return startNew(options, ...rest);
      };
    },
  };
  const scope = /** @type {any} */ (window);
  scope._JUPYTERLAB = scope._JUPYTERLAB || {};
  scope._JUPYTERLAB["sourcebook-kernel-start"] = {
    init: () => {},
    get: async () => () => ({ __esModule: true, default: [plugin] }),
  };
})();
