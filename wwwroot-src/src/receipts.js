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

// RFC 9162 Merkle hashing (leaf = SHA-256(0x00 ‖ bytes), node = SHA-256(0x01 ‖ left ‖ right)), as the server
// builds the ledger's tree; the same rules the offline verifier (tools/Marketplace.Verify) applies.
async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

async function leafHash(canonical) {
  const data = utf8.encode(canonical);
  const buffer = new Uint8Array(data.length + 1);
  buffer.set(data, 1);
  return sha256(buffer);
}

async function nodeHash(left, right) {
  const buffer = new Uint8Array(1 + left.length + right.length);
  buffer[0] = 1;
  buffer.set(left, 1);
  buffer.set(right, 1 + left.length);
  return sha256(buffer);
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

// RFC 9162 §2.1.3.2. Sizes are BigInts: JavaScript's bit operators stop at 32 bits.
export async function verifyInclusion(leaf, leafIndex, treeSize, path, root) {
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize) - 1n;
  if (fn < 0n || fn > sn || leaf.length !== 32 || root.length !== 32) return false;
  let r = leaf;
  for (const p of path) {
    if (p.length !== 32 || sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && sameBytes(r, root);
}

// The order's transaction is in the ledger the checkpoint signed: the checkpoint verifies under the published key,
// the canonical bytes are this transaction's, and its leaf hashes up the path to the checkpoint's root.
export async function verifyLedgerInclusion({ transactionId, canonical, leafIndex, path, checkpoint, signature }) {
  try {
    const signed = await crypto.subtle.verify({ name: "Ed25519" }, await publishedKey(), base64UrlDecode(signature), utf8.encode(checkpoint));
    const head = JSON.parse(checkpoint);
    if (!signed || head.format !== "marketplace-ledger-checkpoint-v1" || !canonical.startsWith(`ledger-v1|${transactionId}|`)) return null;
    const hashes = path.length === 0 ? [] : path.split(" ").map(base64UrlDecode);
    const included = await verifyInclusion(await leafHash(canonical), leafIndex, head.tree_size, hashes, base64UrlDecode(head.root_hash));
    return included ? head : null;
  } catch {
    return null;
  }
}

// Fills each [data-ledger-proof] section (the order page) with the outcome of the inclusion check.
async function showLedgerProof(section) {
  const badge = section.querySelector("[data-ledger-badge]");
  const head = await verifyLedgerInclusion({
    transactionId: section.dataset.transactionId,
    canonical: section.dataset.canonical ?? "",
    leafIndex: section.dataset.leafIndex,
    path: section.dataset.inclusionPath ?? "",
    checkpoint: section.dataset.checkpoint ?? "",
    signature: section.dataset.checkpointSignature ?? "",
  });
  if (badge) {
    badge.textContent = head ? `Included in checkpoint ${head.id}` : "Not verified";
    badge.dataset.verified = String(head !== null);
  }
}

export function initReceipts(root = document) {
  for (const section of root.querySelectorAll("[data-receipt]")) showReceipt(section);
  // A pending one (newer than the latest checkpoint) has nothing to check yet; the page says so.
  for (const section of root.querySelectorAll("[data-ledger-proof='included']")) showLedgerProof(section);
}
