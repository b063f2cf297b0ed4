// The wallet page's Buy credits dialog. Without this script the "Buy credits" link loads
// /Wallet?buy=true, which renders the same dialog already open, so the form still works.

function openDialog(dialog) {
  if (dialog.open) dialog.close();
  dialog.showModal();
  // A server-rendered error summary comes first, so the user starts at what went wrong.
  dialog.querySelector("[data-error-summary], input:not([type=hidden]), select, button")?.focus();
}

export function initWallet(root = document) {
  // Delegated, so openers that htmx swaps in later keep working.
  root.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const opener = event.target.closest("[data-opens-dialog]");
    if (opener) {
      const dialog = document.getElementById(opener.dataset.opensDialog);
      if (dialog instanceof HTMLDialogElement) {
        event.preventDefault();
        openDialog(dialog);
      }
      return;
    }
    const closer = event.target.closest("[data-closes-dialog]");
    const dialog = closer?.closest("dialog");
    if (dialog) {
      event.preventDefault();
      dialog.close();
    }
  });

  // Typing an amount means buying that amount rather than a package: pick "Custom" for the shopper.
  root.addEventListener("input", (event) => {
    if (!(event.target instanceof HTMLInputElement) || event.target.id !== "amount") return;
    const custom = document.getElementById("package-custom");
    if (custom instanceof HTMLInputElement) custom.checked = true;
  });

  // The server renders the dialog open (non-modal) to show a rejected amount; make it modal
  // so focus and Escape behave as they do when the button opened it.
  for (const dialog of root.querySelectorAll("dialog[open][data-modal]")) openDialog(dialog);
}
