// The wallet's Send credits form, in two steps (issue 14, defect 6): Review looks up who the email belongs to
// (a display name, only for a verified account), then the passphrase signs a "transfer" intent for exactly what
// was reviewed, through the same endpoint as purchases. Without this script the button stays disabled (signing
// needs the vault).
import { field, handleSubmits, ServerProblem, working } from "./forms.js";
import {
  announceBalanceChanged, canonicalAmount, describeProblem, transact, transferIntent, unlockForForm,
} from "./intent.js";
import { storeReceipt } from "./receipts.js";

const formatter = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function display(amount) {
  return `${formatter.format(Number(amount))} MC`;
}

function parts(form) {
  return {
    review: form.querySelector("[data-transfer-review]"),
    reviewButton: form.querySelector("[data-transfer-review-button]"),
    recipient: form.elements.namedItem("recipient"),
    amount: form.elements.namedItem("amount"),
    passphrase: form.elements.namedItem("passphrase"),
  };
}

function editing(form, on) {
  const { review, reviewButton, recipient, amount, passphrase } = parts(form);
  review.hidden = on;
  reviewButton.hidden = !on;
  // While reviewing, what is shown is what gets signed.
  recipient.readOnly = !on;
  amount.readOnly = !on;
  passphrase.value = "";
  form.reviewed = on ? undefined : form.reviewed;
}

async function lookUp(email) {
  const response = await fetch(`/api/wallet/recipient?email=${encodeURIComponent(email)}`, {
    credentials: "same-origin", headers: { Accept: "application/json" },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ServerProblem(body.detail || body.title || `The server answered ${response.status}.`, response.status, body.code);
  return body.display_name;
}

async function reviewTransfer(form, ui) {
  const recipient = field(form, "recipient").trim();
  const amount = canonicalAmount(field(form, "amount"));
  if (!recipient) {
    ui.error("Enter the email of the person to send credits to.");
    return;
  }
  if (amount === null) {
    ui.error("Enter an amount of credits greater than zero, with at most two decimals (e.g. 12.50).");
    return;
  }
  ui.busy("Looking up the recipient…");
  let name;
  try {
    name = await lookUp(recipient);
  } catch (error) {
    ui.error(describeProblem(error, "Nothing was sent."));
    return;
  }
  ui.done("");
  form.reviewed = { recipient, amount, name };
  const { review } = parts(form);
  review.querySelector("[data-review-name]").textContent = name;
  review.querySelector("[data-review-email]").textContent = recipient;
  review.querySelector("[data-review-amount]").textContent = display(amount);
  editing(form, false);
  form.querySelector("#transfer-review-heading").focus();
}

async function sendReviewed(form, ui) {
  const { recipient, amount, name } = form.reviewed;
  if (!field(form, "passphrase")) {
    ui.error("Enter your passphrase to sign the transfer.");
    return;
  }
  const key = await unlockForForm(form, ui);
  if (!key) return;
  ui.busy("Sending…");
  let result;
  try {
    result = await transact(form, key, { amount, recipient }, () => transferIntent({ amount, recipient }));
  } catch (error) {
    ui.error(describeProblem(error, "Nothing was sent."));
    return;
  }
  storeReceipt(result);
  announceBalanceChanged();
  // Cleared, so one more passphrase cannot send the same credits again by accident.
  form.reset();
  editing(form, true);
  form.reviewed = undefined;
  ui.done(`Sent ${display(amount)} to ${name}.`);
  const receipt = document.querySelector("[data-transfer-receipt]");
  if (receipt) {
    receipt.querySelector("[data-sent-amount]").textContent = display(amount);
    receipt.querySelector("[data-sent-name]").textContent = name;
    receipt.querySelector("[data-sent-balance]").textContent = display(result.new_balance);
    receipt.querySelector("[data-sent-order]").href = `/Orders/${result.order_id}`;
    receipt.hidden = false;
  }
}

async function submitTransfer(form) {
  await working(form, (ui) => (form.reviewed ? sendReviewed(form, ui) : reviewTransfer(form, ui)));
}

export function initTransfer(root = document) {
  handleSubmits(root, [["[data-transfer-form]", submitTransfer]]);
  root.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const change = event.target.closest("[data-transfer-change]");
    const form = change?.closest("[data-transfer-form]");
    if (!form) return;
    editing(form, true);
    form.elements.namedItem("amount").focus();
  });
}
