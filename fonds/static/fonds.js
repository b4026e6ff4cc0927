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
  // When the run ends, the table of letters shows what it issued: a fresh copy of this page's.
  const refreshLetterTable = async () => {
    const table = document.querySelector("[data-letter-table]");
    if (!table) return;
    try {
      const response = await fetch(window.location.pathname, { credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-letter-table]");
      if (fresh) table.replaceWith(document.adoptNode(fresh));
    } catch (error) {
      // The table stays as it was; a reload shows the latest state.
    }
  };

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
      // The run is over: the sentences that it is busy go, and the table of letters shows
      // what the run issued (a fresh copy of this page's table).
      document.querySelectorAll("[data-batch-running]").forEach((notice) => notice.remove());
      const reload = section.querySelector("[data-batch-reload]");
      if (reload) reload.hidden = true;
      refreshLetterTable();
      return;
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
}

// The scoring form of a review: its weighted total (0 to 100) while the reviewer scores, by the
// formula of fonds/ranking/queries.py, sum(weight × (score − 1)) × 25 / sum(weight) over the
// criteria scored so far. The server shows the same number (and the page works without this).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-review-total]");
  if (box) followReviewTotal(box);
});

function followReviewTotal(box) {
  const form = box.closest("form");
  const criteria = [...form.querySelectorAll("[data-weight]")];
  const shown = box.querySelector("[data-review-total-text]");
  const announce = box.querySelector("[data-review-total-announce]");
  const comma = document.documentElement.lang === "nl";
  let timer = null;
  // The total in tenths, computed in whole numbers: 250 × points / weights, rounded as the
  // server's "%.1f" rounds (a total halfway between two tenths, such as 71.25, goes to the even
  // tenth: 71.2).
  const tenths = (points, weights) => {
    const numerator = 250 * points;
    let whole = Math.floor(numerator / weights);
    const twice = 2 * (numerator - whole * weights);
    if (twice > weights || (twice === weights && whole % 2 === 1)) whole += 1;
    return whole;
  };
  const describe = () => {
    let points = 0;
    let weights = 0;
    let scored = 0;
    for (const criterion of criteria) {
      const checked = criterion.querySelector("input[type=radio]:checked");
      if (!checked) continue;
      const weight = Number(criterion.dataset.weight);
      points += weight * (Number(checked.value) - 1);
      weights += weight;
      scored += 1;
    }
    if (scored === 0) return box.dataset.totalNone;
    const total = tenths(points, weights);
    const text = `${Math.floor(total / 10)}${comma ? "," : "."}${total % 10}`;
    const pattern = scored < criteria.length ? box.dataset.totalPartial : box.dataset.totalFinal;
    return pattern
      .replace("{total}", text)
      .replace("{scored}", scored)
      .replace("{count}", criteria.length);
  };
  form.addEventListener("change", (event) => {
    if (!event.target.closest("[data-weight]") || event.target.type !== "radio") return;
    const text = describe();
    shown.textContent = text;
    // Screen readers hear the total once the clicking pauses, not on every click.
    clearTimeout(timer);
    timer = setTimeout(() => {
      announce.textContent = text;
    }, 1500);
  });
}

// The planning step: the budget's total follows what is typed in the amounts, read by the same
// rules as the server (fonds/money.py): "4.000", "4000,50", "€ 1.250,50", "1,250.50". An amount
// that cannot be read yet does not count, as on the server; saving shows its error.
document.addEventListener("DOMContentLoaded", () => {
  const total = document.querySelector("[data-budget-total]");
  if (total) followBudgetTotal(total);
});

function amountInCents(text) {
  let value = text.replace(/[\s\u00a0\u202f]+/g, " ").trim();
  value = value.replace(/^(€|eur(o|os)?)\s*|\s*(€|eur(o|os)?)$/i, "").trim();
  value = value.replace(/[,.]-{1,2}$/, "");
  if (!/^([0-9][0-9., ]*[0-9]|[0-9])$/.test(value)) return null;
  const grouped = /^([1-9][0-9]{0,2}( [0-9]{3})+|[0-9]+)$/;
  let whole = value;
  let cents = "";
  const commas = (value.match(/,/g) || []).length;
  const dots = (value.match(/\./g) || []).length;
  if (commas && dots) {
    const mark = value.lastIndexOf(",") > value.lastIndexOf(".") ? "," : ".";
    const parts = value.split(mark);
    if (parts.length !== 2) return null;
    whole = parts[0].split(mark === "," ? "." : ",").join(" ");
    cents = parts[1];
  } else if (commas || dots) {
    const mark = commas ? "," : ".";
    const parts = value.split(mark);
    if (parts.length > 2) {
      whole = parts.join(" ");
    } else if (parts[1].length === 3 && grouped.test(`${parts[0]} ${parts[1]}`)) {
      if (mark === ",") return null; // 1,234: thousands or three decimals? The server asks.
      whole = `${parts[0]} ${parts[1]}`;
    } else {
      [whole, cents] = parts;
    }
  }
  if (!grouped.test(whole) || !/^[0-9]{0,2}$/.test(cents)) return null;
  const euros = whole.replace(/ /g, "");
  if (euros.replace(/^0+/, "").length > 10) return null;
  return Number(euros) * 100 + Number(cents.padEnd(2, "0") || "0");
}

function followBudgetTotal(total) {
  const form = total.closest("form");
  const format = new Intl.NumberFormat(total.dataset.locale === "nl" ? "nl-NL" : "en-GB", {
    style: "currency",
    currency: "EUR",
  });
  const update = () => {
    let cents = 0;
    form.querySelectorAll("input[id^=lines-][id$=-amount]").forEach((input) => {
      const amount = amountInCents(input.value);
      if (amount !== null) cents += amount;
    });
    total.textContent = format.format(cents / 100);
  };
  form.addEventListener("input", (event) => {
    if (event.target.matches("input[id^=lines-][id$=-amount]")) update();
  });
}

// --- "Snel weg" (quick exit, issue 11) --------------------------------------------------------
// Leave for the neutral site at once: hide the page first, so nothing stays readable while the
// other site loads, and replace this page in the history, so "back" does not return to it.
// Without this script the link still goes there (and the page stays in the history).
// No keyboard shortcut (such as Escape twice): Escape closes the browser's suggestion lists and
// takes screen readers out of their form mode, so it is pressed twice by accident, and leaving
// by accident loses what was typed in a step that is not saved yet. The link is the second stop
// for the Tab key, right after the skip link.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-quick-exit]");
  if (!link) return;
  event.preventDefault();
  quickExit(link.href);
});

function quickExit(address) {
  document.title = "";
  document.body.hidden = true;
  window.location.replace(address);
}
