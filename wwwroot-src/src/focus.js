// Keyboard focus the server cannot place by itself (issue 14, defect 8).

// After failed server-side validation the page reloads at the top; start the user at what went wrong.
// A server-rendered confirmation step ("Cancel the order for …?") is where the user's attention belongs, too.
function focusErrorSummary(root) {
  const summary = root.querySelector("[data-error-summary], [data-confirm-step]");
  if (!(summary instanceof HTMLElement)) return;
  // Inside a modal dialog the dialog script opens it first; focusing then keeps focus inside.
  queueMicrotask(() => {
    summary.focus();
    summary.scrollIntoView({ block: "nearest" });
  });
}

// "Load more" (htmx, outerHTML) replaces itself with the next page; without help focus falls to <body> and the next
// Tab goes to the logo. Move it to the first new row (or the first link in a new list).
function focusFirstNewItem(holder, before, parent) {
  const observer = new MutationObserver(() => {
    if (holder.isConnected) return;
    observer.disconnect();
    const first = before ? before.nextElementSibling : parent.firstElementChild;
    if (!(first instanceof HTMLElement) || first.matches("[data-load-more]")) return;
    let target = first;
    if (first.matches("ul, ol")) target = first.querySelector("a, button") ?? first;
    if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) target.setAttribute("tabindex", "-1");
    target.focus();
  });
  observer.observe(parent, { childList: true });
}

export function initFocus(root = document) {
  focusErrorSummary(root);
  // Text that is only true with script running ("This page updates by itself") is rendered hidden.
  const showScripted = () => { for (const element of root.querySelectorAll("[data-js-only][hidden]")) element.hidden = false; };
  showScripted();
  root.addEventListener("htmx:after:swap", showScripted);

  root.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const holder = event.target.closest("[data-load-more]");
    if (!holder?.parentElement || !event.target.closest("[hx-get]")) return;
    focusFirstNewItem(holder, holder.previousElementSibling, holder.parentElement);
  });

  // Links that look like buttons answer Space as buttons do (Enter already follows them).
  root.addEventListener("keydown", (event) => {
    if (event.key !== " " || !(event.target instanceof HTMLAnchorElement) || event.target.getAttribute("role") !== "button") return;
    event.preventDefault();
    event.target.click();
  });
}
