// Mend's small client script. No inline scripts anywhere (the CSP forbids them).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the main heading after full page loads that followed a form post.
  const flash = document.querySelector("[data-focus-on-load]");
  if (flash) flash.focus();
});
