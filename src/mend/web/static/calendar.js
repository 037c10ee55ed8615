// The calendar page: select the private address on focus, and copy it with one click.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("[data-copied]");
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    if (!field) return;
    field.addEventListener("focus", () => field.select());
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = "Copied.";
      } catch (err) {
        field.focus();
        if (status) status.textContent = "Select the address and copy it with Ctrl+C or ⌘C.";
      }
    });
  });
});
