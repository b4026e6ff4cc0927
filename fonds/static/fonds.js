// Progressive enhancement only: every page works without this script.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce the problems first.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Live character counts for text areas with a limit (the server checks the limit too).
  const lang = document.documentElement.lang;
  const words = lang === "nl"
    ? { of: "van", chars: "tekens", over: "te veel" }
    : { of: "of", chars: "characters", over: "too many" };
  document.querySelectorAll("[data-count-for]").forEach((counter) => {
    const input = document.getElementById(counter.dataset.countFor);
    const limit = Number(input.dataset.limit);
    let timer = null;
    const update = (announce) => {
      const count = input.value.length;
      let text = `${count} ${words.of} ${limit} ${words.chars}`;
      if (count > limit) text += ` (${count - limit} ${words.over})`;
      counter.classList.toggle("character-count--over", count > limit);
      // Screen readers hear the count only after a pause in typing, not on every key.
      counter.setAttribute("aria-live", announce ? "polite" : "off");
      counter.textContent = text;
    };
    counter.hidden = false;
    update(false);
    input.addEventListener("input", () => {
      update(false);
      clearTimeout(timer);
      timer = setTimeout(() => update(true), 1500);
    });
  });
});
