// The recovery code and the key derived from it (README, "Account recovery"; the same derivation
// as Marketplace.Core's RecoveryCode):
//   code  = 28 random Crockford Base32 symbols (140 bits), shown as 7 groups of 4;
//   ikm   = ASCII of the normalised 28 symbols (no hyphens, upper case, O→0, I/L→1);
//   seed  = HKDF-SHA256(ikm, salt "marketplace.recovery.v1", info "ed25519-seed", 32 bytes);
//   key   = the Ed25519 key with that seed (PKCS#8 = fixed prefix + seed).
// The server only ever sees the public key and signatures.
import { exportVaultBackup, signText } from "./vault.js";
import { csrfToken, field, postJson, working } from "./forms.js";

export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const SYMBOLS = 28;
export const GROUP_LENGTH = 4;
const SALT = "marketplace.recovery.v1";
const INFO = "ed25519-seed";
const PKCS8_ED25519_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

const ascii = new TextEncoder();

function group(symbols) {
  const groups = [];
  for (let i = 0; i < symbols.length; i += GROUP_LENGTH) groups.push(symbols.slice(i, i + GROUP_LENGTH));
  return groups.join("-");
}

// 256 is a multiple of 32, so the low five bits of a random byte are a uniform symbol.
export function generateRecoveryCode() {
  const bytes = crypto.getRandomValues(new Uint8Array(SYMBOLS));
  const symbols = Array.from(bytes, (b) => ALPHABET[b & 31]).join("");
  bytes.fill(0);
  return group(symbols);
}

// Forgiving about what people mistype or mishear; null for anything that is not a code (or group).
export function normalizeRecoveryCode(text, length = SYMBOLS) {
  let symbols = "";
  for (const c of String(text ?? "")) {
    if (c === "-" || /\s/.test(c)) continue;
    let upper = c.toUpperCase();
    if (upper === "O") upper = "0";
    if (upper === "I" || upper === "L") upper = "1";
    if (!ALPHABET.includes(upper)) return null;
    symbols += upper;
  }
  return symbols.length === length ? symbols : null;
}

// { privateKey: CryptoKey (sign only), publicKey: base64url } for a code; throws InvalidRecoveryCode.
export async function deriveRecoveryKey(code) {
  const normalized = normalizeRecoveryCode(code);
  if (normalized === null) {
    const error = new Error("That is not a recovery code: 28 letters and digits, in groups of four.");
    error.name = "InvalidRecoveryCode";
    throw error;
  }
  const ikm = await crypto.subtle.importKey("raw", ascii.encode(normalized), "HKDF", false, ["deriveBits"]);
  const seed = new Uint8Array(await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: ascii.encode(SALT), info: ascii.encode(INFO) }, ikm, 256));
  const pkcs8 = new Uint8Array(PKCS8_ED25519_PREFIX.length + seed.length);
  pkcs8.set(PKCS8_ED25519_PREFIX);
  pkcs8.set(seed, PKCS8_ED25519_PREFIX.length);
  try {
    // Extractable only long enough to read the public half out of the JWK.
    const extractable = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
    const { x } = await crypto.subtle.exportKey("jwk", extractable);
    const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
    return { privateKey, publicKey: x };
  } finally {
    seed.fill(0);
    pkcs8.fill(0);
  }
}

// Registers the code's key as the account's recovery key: the device key signs for the account,
// the recovery key proves it was really derived here; the challenge names the recovery public key.
export async function registerRecoveryKey(email, devicePrivateKey, code) {
  const recovery = await deriveRecoveryKey(code);
  const token = await csrfToken();
  const { challenge } = await postJson("/api/auth/challenge", { email, purpose: "recovery_key", public_key: recovery.publicKey }, token);
  await postJson("/api/account/recovery-key", {
    public_key: recovery.publicKey,
    challenge,
    signature: await signText(devicePrivateKey, challenge),
    recovery_signature: await signText(recovery.privateKey, challenge),
  }, token);
}

function randomGroupIndex() {
  const groups = SYMBOLS / GROUP_LENGTH;
  return crypto.getRandomValues(new Uint8Array(1))[0] % groups;
}

// The step after registering or recovering: shows a new code once, offers the key backup, and
// resolves only after the user typed one group of it back and the server has the recovery key.
// Leaving the page meanwhile asks for confirmation, so it is not skipped by accident.
export function runRecoveryStep(email, devicePrivateKey) {
  const step = document.querySelector("[data-recovery-step]");
  const form = step.querySelector("[data-recovery-confirm]");
  const code = generateRecoveryCode();
  const groups = code.split("-");
  const index = randomGroupIndex();
  step.querySelector("[data-recovery-code]").textContent = code;
  step.querySelector("[data-recovery-group-label]").textContent = `Group ${index + 1} of your recovery code`;
  const backup = step.querySelector("[data-download-backup]");
  backup.addEventListener("click", () => {
    try {
      exportVaultBackup(email);
    } catch (error) {
      form.querySelector('[role="alert"]').textContent = error.message;
    }
  });
  const stay = (event) => {
    event.preventDefault();
    event.returnValue = "";
  };
  window.addEventListener("beforeunload", stay);
  step.hidden = false;
  step.querySelector("h2").focus();

  return new Promise((resolve) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      working(form, async (ui) => {
        if (normalizeRecoveryCode(field(form, "recovery_group"), GROUP_LENGTH) !== groups[index]) {
          ui.error(`That is not group ${index + 1} of the code above. Check what you wrote down.`);
          return;
        }
        ui.busy("Saving your recovery key…");
        await registerRecoveryKey(email, devicePrivateKey, code);
        window.removeEventListener("beforeunload", stay);
        ui.done("Recovery code saved.");
        resolve();
      });
    });
  });
}
