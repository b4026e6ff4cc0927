// Progressive enhancement only: every page works without this script.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce the problems first.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
