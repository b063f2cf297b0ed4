// The wallet's Send credits form: a signed "transfer" intent through the same endpoint as
// purchases. Without this script the button stays disabled (signing needs the vault).
import { field, handleSubmits, working } from "./forms.js";
import {
  announceBalanceChanged, canonicalAmount, describeProblem, transact, transferIntent, unlockForForm,
} from "./intent.js";
import { storeReceipt } from "./receipts.js";

async function sendCredits(form) {
  await working(form, async (ui) => {
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
    form.elements.namedItem("passphrase").value = "";
    ui.done(`Sent ${amount} MC to ${recipient}.`);
  });
}

export function initTransfer(root = document) {
  handleSubmits(root, [["[data-transfer-form]", sendCredits]]);
}
