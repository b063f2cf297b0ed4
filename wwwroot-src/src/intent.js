// Signed intents (product.md, "Buying: signed spend intents"): the browser builds a JSON
// object, serialises it once, signs exactly those UTF-8 bytes with the key from its vault
// and posts the string, the public key and the signature to /api/wallet/transact.
import { base64UrlEncode, readVault, signText, unlockVault } from "./vault.js";
import { csrfToken, field, postJson, ServerProblem } from "./forms.js";

const NONCE_BYTES = 16;
const CURRENCY = "MC";

// A signed intent older than this is not worth retrying: the server accepts ±5 minutes.
const RETRY_WINDOW_MS = 4 * 60 * 1000;

// 128 random bits, unpadded base64url: 22 characters.
export function newNonce() {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}

// The key order below is the specified one; JSON.stringify keeps insertion order.
export function spendIntent({ amount, productId, quantity, timestamp = Date.now(), nonce = newNonce(), audience = location.origin }) {
  return JSON.stringify({
    action: "spend", amount, currency: CURRENCY, product_id: productId, quantity, timestamp, nonce, audience,
  });
}

export function transferIntent({ amount, recipient, timestamp = Date.now(), nonce = newNonce(), audience = location.origin }) {
  return JSON.stringify({
    action: "transfer", amount, currency: CURRENCY, recipient, timestamp, nonce, audience,
  });
}

// What a person typed ("12", "1,234.5") as the canonical wire form ("1234.50"), with string
// arithmetic only; null when it is not a positive amount of credits with at most 2 decimals.
export function canonicalAmount(text) {
  const match = /^(\d{1,3}(?:,\d{3})+|\d{1,15})(?:\.(\d{1,2}))?$/.exec(String(text).trim());
  if (!match) return null;
  const whole = match[1].replace(/,/g, "").replace(/^0+(?=\d)/, "");
  const fraction = (match[2] ?? "").padEnd(2, "0");
  if (/^0+$/.test(whole) && fraction === "00") return null;
  return `${whole}.${fraction}`;
}

// The private key from this browser's vault and the public key registered with it.
// Throws the vault's WrongPassphrase / NoVault errors for the caller to word.
export async function unlockSigningKey(email, passphrase) {
  const vault = readVault(email);
  const privateKey = await unlockVault(email, passphrase);
  return { privateKey, publicKey: vault.public_key };
}

function backupLink() {
  const link = document.createElement("a");
  link.href = "/Account/Backup";
  link.textContent = "Import your key backup";
  return link;
}

// Unlocks the key of the user named in form.dataset.email with the form's passphrase;
// a wrong passphrase or a missing vault becomes the form's alert and null (nothing is sent).
export async function unlockForForm(form, ui) {
  ui.busy("Unlocking your key…");
  try {
    return await unlockSigningKey(form.dataset.email, field(form, "passphrase"));
  } catch (error) {
    if (error.name === "WrongPassphrase") {
      ui.error("Wrong passphrase. Nothing was sent and nothing was charged.");
      return null;
    }
    if (error.name === "NoVault") {
      ui.error("This browser has no key for your account. ", backupLink(), " to sign here.");
      return null;
    }
    throw error;
  }
}

async function pageCsrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content || csrfToken();
}

// Signs and posts one intent. A request that got no answer at all (network down) may
// still have been carried out, so the form keeps that signed intent and sends the very
// same bytes when the user tries again for the same thing (same `what`): the nonce makes
// the server answer with the first receipt instead of charging twice. A server error (5xx)
// is treated the same way.
export async function transact(form, key, what, buildIntent) {
  const fingerprint = JSON.stringify(what);
  let pending = form.pendingIntent;
  if (!pending || pending.fingerprint !== fingerprint || Date.now() - pending.createdAt > RETRY_WINDOW_MS) {
    const intent = buildIntent();
    pending = { fingerprint, intent, signature: await signText(key.privateKey, intent), createdAt: Date.now() };
  }
  form.pendingIntent = pending;
  try {
    const result = await postJson("/api/wallet/transact", {
      intent: pending.intent, public_key: key.publicKey, signature: pending.signature,
    }, await pageCsrfToken());
    form.pendingIntent = undefined;
    return result;
  } catch (error) {
    // A refusal settles this intent; silence or a server error keeps it for a retry.
    if (error instanceof ServerProblem && error.status < 500) form.pendingIntent = undefined;
    throw error;
  }
}

// Problem details as a sentence for the page: the server's own detail (its one table of failures words it for
// people), and that a refusal moved nothing (`unchanged`: "Nothing was charged." or "Nothing was sent.").
export function describeProblem(error, unchanged = "Nothing was charged.") {
  if (!(error instanceof ServerProblem)) {
    return "The server could not be reached. Check your connection and try again; you will not be charged twice.";
  }
  if (error.status >= 400 && error.status < 500) return `${error.message} ${unchanged}`;
  return "Something went wrong on our side. Try again; you will not be charged twice.";
}

// Lets the header balance (and the wallet's balance card) refresh at once; they listen
// for this event on body through hx-trigger.
export function announceBalanceChanged() {
  document.body.dispatchEvent(new CustomEvent("balance-changed", { bubbles: true }));
}
