// @ts-check
/* The preview page's link to `sourcebook preview`: asks the server for a
 * version of the page newer than the one shown, and reloads when it gets one
 * (the teacher saved a file). The server holds the question open until then,
 * or for a while, after which the page asks again. The quiz itself is the
 * site's: grading.js, quiz.js. Requests go only to the server that sent the page.
 */
(function () {
  "use strict";

  var shown = document.body.getAttribute("data-preview-version") || "0";

  function stopped() {
    var note = document.querySelector(".sb-preview-stopped");
    if (note) note.removeAttribute("hidden");
  }

  function ask() {
    fetch("/_preview/version?newer-than=" + encodeURIComponent(shown), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (String(data.version) !== shown) window.location.reload();
        else ask();
      })
      .catch(stopped);
  }

  ask();
})();
