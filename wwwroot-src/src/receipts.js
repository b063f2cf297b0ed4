// Receipts: the server signs each one with its own Ed25519 key; this browser keeps them in
// localStorage and checks every signature itself against the published key, so a receipt
// shown as Verified does not depend on trusting the page that displays it.
import { base64UrlDecode } from "./vault.js";

const STORAGE_PREFIX = "marketplace.receipt.";
const utf8 = new TextEncoder();

let receiptKey;

export function storeReceipt({ order_id: orderId, receipt, receipt_signature: signature }) {
  if (!orderId || typeof receipt !== "string" || typeof signature !== "string") return;
  try {
    localStorage.setItem(STORAGE_PREFIX + orderId, JSON.stringify({ receipt, receipt_signature: signature }));
  } catch {
    // Storage full or disabled: the server keeps its copy, so the order page still has one.
  }
}

export function storedReceipt(orderId) {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_PREFIX + orderId) ?? "null");
    if (typeof value?.receipt === "string" && typeof value?.receipt_signature === "string") return value;
  } catch {
    // A damaged entry is treated as absent.
  }
  return null;
}

async function publishedKey() {
  receiptKey ??= (async () => {
    const response = await fetch("/api/receipts/public-key", { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`The receipt key could not be fetched (${response.status}).`);
    const { public_key: publicKey } = await response.json();
    return crypto.subtle.importKey("raw", base64UrlDecode(publicKey), { name: "Ed25519" }, false, ["verify"]);
  })();
  try {
    return await receiptKey;
  } catch (error) {
    receiptKey = undefined;
    throw error;
  }
}

// True only when the signature is valid for exactly these bytes under the published key
// and the receipt is about this order; anything unreadable counts as not verified.
export async function verifyReceipt(receipt, signature, orderId) {
  try {
    const valid = await crypto.subtle.verify({ name: "Ed25519" }, await publishedKey(), base64UrlDecode(signature), utf8.encode(receipt));
    if (!valid) return false;
    const body = JSON.parse(receipt);
    return orderId === undefined || String(body.order_id).toLowerCase() === String(orderId).toLowerCase();
  } catch {
    return false;
  }
}

// Fills each [data-receipt] section: prefers this browser's copy, falls back to the
// server's (rendered into data-receipt-text / data-receipt-signature), then verifies it.
async function showReceipt(section) {
  const orderId = section.dataset.orderId;
  const local = storedReceipt(orderId);
  const receipt = local?.receipt ?? section.dataset.receiptText;
  const signature = local?.receipt_signature ?? section.dataset.receiptSignature;
  const text = section.querySelector("[data-receipt-body]");
  const source = section.querySelector("[data-receipt-source]");
  const badge = section.querySelector("[data-receipt-badge]");
  if (!receipt || !signature) {
    if (badge) badge.textContent = "Not verified";
    return;
  }
  if (text) text.textContent = receipt;
  if (source) source.textContent = local ? "This browser's copy." : "The server's copy (this browser has none).";
  const verified = await verifyReceipt(receipt, signature, orderId);
  if (badge) {
    badge.textContent = verified ? "Verified" : "Not verified";
    badge.dataset.verified = String(verified);
  }
}

export function initReceipts(root = document) {
  for (const section of root.querySelectorAll("[data-receipt]")) showReceipt(section);
}
