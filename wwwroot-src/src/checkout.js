// The checkout page's Confirm purchase form: unlock the vault with the passphrase, sign the
// spend intent, post it, keep the receipt, then open the order. Without this script the
// button stays disabled and the page says that signing needs JavaScript.
import { handleSubmits, working } from "./forms.js";
import { announceBalanceChanged, describeProblem, spendIntent, transact, unlockForForm } from "./intent.js";
import { storeReceipt } from "./receipts.js";

async function confirmPurchase(form) {
  await working(form, async (ui) => {
    const key = await unlockForForm(form, ui);
    if (!key) return;
    // Server-rendered: the price × quantity as a decimal string, never recomputed here.
    const { amount, productId } = form.dataset;
    const quantity = Number.parseInt(form.dataset.quantity, 10);
    ui.busy("Paying…");
    let result;
    try {
      result = await transact(form, key, { amount, productId, quantity }, () => spendIntent({ amount, productId, quantity }));
    } catch (error) {
      ui.error(describeProblem(error));
      return;
    }
    storeReceipt(result);
    announceBalanceChanged();
    ui.done("Paid. Opening your order…");
    location.assign(`/Orders/${encodeURIComponent(result.order_id)}`);
  });
}

export function initCheckout(root = document) {
  handleSubmits(root, [["[data-checkout-form]", confirmPurchase]]);
}
