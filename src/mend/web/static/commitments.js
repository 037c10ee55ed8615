// The commitments page: when a one-click outcome cannot be saved, say why beside the list.
"use strict";
(function () {
  function show(message) {
    const box = document.getElementById("row-error");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  document.addEventListener("htmx:responseError", (event) => {
    let message = "That was not saved; reload the page and try again.";
    try {
      const body = JSON.parse(event.detail.xhr.responseText);
      if (body && body.error && body.error.message) message = body.error.message;
    } catch (err) {
      // Not JSON: keep the general message.
    }
    show(message);
  });

  document.addEventListener("htmx:sendError", () => {
    show("Mend is not answering. Is it still running? Nothing was saved.");
  });

  document.addEventListener("htmx:afterSwap", () => {
    const box = document.getElementById("row-error");
    if (box) box.hidden = true;
  });
})();
