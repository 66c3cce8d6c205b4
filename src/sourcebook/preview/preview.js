// @ts-check
/* The preview page's link to `sourcebook preview`: asks the server for the
 * version of the page ten times a second and reloads when it is newer (the
 * teacher saved a file). The quiz itself is the site's: grading.js, quiz.js.
 * Requests go only to the server that sent the page.
 */
(function () {
  "use strict";

  var shown = document.body.getAttribute("data-preview-version");
  var EVERY = 100;

  function stopped() {
    var note = document.querySelector(".sb-preview-stopped");
    if (note) note.removeAttribute("hidden");
  }

  function ask() {
    fetch("/_preview/version", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (String(data.version) !== shown) {
          window.location.reload();
          return;
        }
        setTimeout(ask, EVERY);
      })
      .catch(stopped);
  }

  setTimeout(ask, EVERY);
})();
