// The key vault: an Ed25519 private key that never leaves this browser, encrypted at rest
// with a passphrase-derived key. See product.md, "Identity".

const VAULT_VERSION = 1;
const KDF = "PBKDF2-SHA256";
const PBKDF2_ITERATIONS = 600000;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const PUBLIC_KEY_BYTES = 32;
const AES_GCM_TAG_BYTES = 16;

const utf8 = new TextEncoder();

function vaultError(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

export function base64UrlEncode(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = "";
  for (let i = 0; i < view.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// Strict like the server: unpadded base64url alphabet only; throws on anything else.
export function base64UrlDecode(text) {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw vaultError("InvalidEncoding", "Not unpadded base64url");
  }
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function normalizeEmail(email) {
  return String(email).trim().toLowerCase();
}

export function vaultStorageKey(email) {
  return `marketplace.vault.${normalizeEmail(email)}`;
}

// NFC so the same passphrase typed on another OS or keyboard derives the same key.
async function deriveVaultKey(passphrase, salt, iterations) {
  const material = await crypto.subtle.importKey(
    "raw", utf8.encode(String(passphrase).normalize("NFC")), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"]);
}

export async function createVault(email, passphrase) {
  const keyPair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const publicKey = base64UrlEncode(await crypto.subtle.exportKey("raw", keyPair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keyPair.privateKey));

  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const vaultKey = await deriveVaultKey(passphrase, salt, PBKDF2_ITERATIONS);
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, vaultKey, pkcs8);
  pkcs8.fill(0);

  const vault = {
    v: VAULT_VERSION,
    email: normalizeEmail(email),
    public_key: publicKey,
    kdf: KDF,
    iterations: PBKDF2_ITERATIONS,
    salt: base64UrlEncode(salt),
    iv: base64UrlEncode(iv),
    ciphertext: base64UrlEncode(ciphertext),
  };
  localStorage.setItem(vaultStorageKey(email), JSON.stringify(vault));

  // Hand back a non-extractable copy so nothing downstream can export the raw key.
  const privateKey = await crypto.subtle.importKey(
    "pkcs8", await crypto.subtle.exportKey("pkcs8", keyPair.privateKey), { name: "Ed25519" }, false, ["sign"]);
  return { publicKey, privateKey };
}

export function readVault(email) {
  const stored = localStorage.getItem(vaultStorageKey(email));
  if (stored === null) throw vaultError("NoVault", "No key for this email on this device");
  return parseVault(stored);
}

export function hasVault(email) {
  return localStorage.getItem(vaultStorageKey(email)) !== null;
}

export async function unlockVault(email, passphrase) {
  const vault = readVault(email);
  const vaultKey = await deriveVaultKey(passphrase, base64UrlDecode(vault.salt), vault.iterations);
  let pkcs8;
  try {
    pkcs8 = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: base64UrlDecode(vault.iv) }, vaultKey, base64UrlDecode(vault.ciphertext));
  } catch {
    throw vaultError("WrongPassphrase", "Wrong passphrase");
  }
  try {
    return await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  } finally {
    new Uint8Array(pkcs8).fill(0);
  }
}

export async function signText(privateKey, text) {
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, privateKey, utf8.encode(text));
  return base64UrlEncode(signature);
}

export function exportVaultBackup(email) {
  const stored = localStorage.getItem(vaultStorageKey(email));
  if (stored === null) throw vaultError("NoVault", "No key for this email on this device");
  const vault = parseVault(stored);
  const url = URL.createObjectURL(new Blob([JSON.stringify(vault, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `marketplace-key-${vault.email}.json`;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return vault.email;
}

export function importVaultBackup(fileText) {
  const vault = parseVault(fileText);
  localStorage.setItem(vaultStorageKey(vault.email), JSON.stringify(vault));
  return vault.email;
}

function parseVault(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw vaultError("InvalidBackup", "This is not a Marketplace key backup (not JSON)");
  }
  const problem = vaultShapeProblem(value);
  if (problem) throw vaultError("InvalidBackup", `This is not a valid Marketplace key backup: ${problem}`);
  return {
    v: value.v,
    email: normalizeEmail(value.email),
    public_key: value.public_key,
    kdf: value.kdf,
    iterations: value.iterations,
    salt: value.salt,
    iv: value.iv,
    ciphertext: value.ciphertext,
  };
}

function decodedLength(text) {
  try {
    return base64UrlDecode(text).length;
  } catch {
    return -1;
  }
}

function vaultShapeProblem(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not an object";
  if (value.v !== VAULT_VERSION) return "unknown version";
  if (typeof value.email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(value.email.trim())) return "missing email";
  if (decodedLength(value.public_key) !== PUBLIC_KEY_BYTES) return "bad public key";
  if (value.kdf !== KDF) return "unknown key derivation";
  // Accept only our cost or more: a tampered file must not downgrade the derivation.
  if (!Number.isSafeInteger(value.iterations) || value.iterations < PBKDF2_ITERATIONS) return "bad iteration count";
  if (decodedLength(value.salt) !== SALT_BYTES) return "bad salt";
  if (decodedLength(value.iv) !== IV_BYTES) return "bad iv";
  if (decodedLength(value.ciphertext) <= AES_GCM_TAG_BYTES) return "bad ciphertext";
  return null;
}
