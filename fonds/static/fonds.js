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

  // A round's letters: follow the background run until it ends (the page works without this
  // too; its "Show the latest state" link reloads it).
  const section = document.querySelector("[data-batch-progress]");
  if (section) followBatch(section);

  document.querySelectorAll(".table-scroll").forEach(watchTableScroll);
});

// A table wider than its box: show the sentence above it that says it scrolls sideways, and
// hide it again when the table fits (a wider window, a smaller zoom).
function watchTableScroll(region) {
  const hint = region.previousElementSibling;
  if (!hint || !hint.hasAttribute("data-scroll-hint")) return;
  const update = () => {
    const scrolls = region.scrollWidth > region.clientWidth + 1;
    hint.hidden = !scrolls;
  };
  update();
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver(update);
    observer.observe(region);
    const table = region.querySelector("table");
    if (table) observer.observe(table);
  } else {
    window.addEventListener("resize", update);
  }
}

function followBatch(section) {
  const bar = section.querySelector("progress");
  const summary = section.querySelector("[data-batch-summary]");
  const announce = section.querySelector("[data-batch-announce]");
  const failures = section.querySelector("[data-batch-failures]");
  const list = failures.querySelector("ul");
  let failed = failures.querySelectorAll("li").length;
  const poll = async () => {
    let state;
    try {
      const response = await fetch(section.dataset.batchProgress, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(response.status);
      state = await response.json();
    } catch (error) {
      setTimeout(poll, 5000); // a hiccup of the network or the server: try again later
      return;
    }
    bar.max = state.total;
    bar.value = state.done + state.failed;
    bar.textContent = `${state.done} / ${state.total}`;
    summary.textContent = state.summary;
    document.querySelector("[data-count-issued]").textContent = state.issued_in_round;
    document.querySelector("[data-count-missing]").textContent = state.missing_in_round;
    if (state.failures.length !== failed) {
      list.replaceChildren(...state.failures.map((failure) => {
        const item = document.createElement("li");
        item.className = "utrecht-unordered-list__item";
        const link = document.createElement("a");
        link.className = "utrecht-link";
        link.href = failure.url;
        link.textContent = failure.reference;
        item.append(link, `: ${failure.reason}`);
        return item;
      }));
      failures.hidden = false;
      failed = state.failures.length;
      announce.textContent = state.summary;
    }
    if (state.finished || state.stalled || state.superseded) {
      announce.textContent = state.summary;
      document.querySelector("[data-batch-start]").hidden = state.missing_in_round === 0;
      return;
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
}
