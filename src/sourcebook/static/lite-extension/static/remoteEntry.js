// @ts-check
// A JupyterLite plugin that starts the opened notebook's kernel as soon as the
// Pyodide kernel is registered, while the app is still starting, so that
// Pyodide loads in its worker while the app starts, reads the notebook and lays
// it out, instead of after. The notebook then finds the session running for its path and
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
    description: "Starts the opened notebook's kernel as soon as the kernel is registered.",
    autoStart: true,
    /** @param {any} app */
    activate: (app) => {
      const path = new URLSearchParams(window.location.search).get("path");
      if (!path || !path.endsWith(".ipynb")) return;
      const { sessions, kernelspecs } = app.serviceManager;
      const startNew = sessions.startNew.bind(sessions);
      const started = (async () => {
        // Not waiting for the app to start (about two seconds more in Chromium on this site): the
        // Pyodide kernel's own plugin registers the kernel when it is activated, most often after
        // this one, so look again every tenth of a second until it has (once the app has started
        // it has, or there is none).
        let appStarted = false;
        app.started.then(() => { appStarted = true; });
        await Promise.all([sessions.ready, kernelspecs.ready]);
        for (;;) {
          await kernelspecs.refreshSpecs();
          if (kernelspecs.specs?.default || appStarted) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
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
