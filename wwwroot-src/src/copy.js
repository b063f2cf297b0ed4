// Copy buttons (the bank page's details and reference, issue 14 defect 5). They are rendered hidden: without script
// there is nothing to press, and the values stay selectable text.
export function initCopy(root = document) {
  for (const button of root.querySelectorAll("[data-copy]")) button.hidden = false;
  root.addEventListener("click", async (event) => {
    if (!(event.target instanceof Element)) return;
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const status = root.querySelector("[data-copy-status]");
    const what = (button.getAttribute("aria-label") || "Copy").replace(/^Copy /, "");
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      if (status) status.textContent = `Copied the ${what}.`;
    } catch {
      if (status) status.textContent = `Could not copy the ${what}; select it and copy it by hand.`;
    }
  });
}
