// Mend's small client script. No inline scripts anywhere (the CSP forbids them).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the main heading after full page loads that followed a form post.
  const flash = document.querySelector("[data-focus-on-load]");
  if (flash) flash.focus();
});

// Repair page: a link to #step-... (or the page coming back to one after a save) opens
// that step's collapsed guidance and form, so it is never hidden from the user.
function openStepFromHash() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id.startsWith("step-")) return;
  const step = document.getElementById(id);
  const work = step && step.querySelector("details.step-work");
  if (work && !work.open) {
    work.open = true;
    step.scrollIntoView();
  }
}
document.addEventListener("DOMContentLoaded", openStepFromHash);
window.addEventListener("hashchange", openStepFromHash);

// After a refused form, take the keyboard to the first field that needs fixing (its
// message is read with it), unless something else already asked for the focus.
document.addEventListener("DOMContentLoaded", () => {
  if (document.querySelector("[data-focus-on-load]")) return;
  const invalid = document.querySelector("main [aria-invalid='true']");
  if (invalid) invalid.focus();
});
