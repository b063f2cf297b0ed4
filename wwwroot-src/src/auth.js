// Register, log in, recovery and key backup pages (log out is logout.js, on every page).
// The forms are plain HTML; their submit buttons start disabled and are enabled here,
// because without this script the passphrase cannot be used (and must never be posted).
import {
  createVault, unlockVault, signText, exportVaultBackup, importVaultBackup, vaultStorageKey,
} from "./vault.js";
import { csrfToken, field, handleSubmits, postJson, working } from "./forms.js";
import { deriveRecoveryKey, normalizeRecoveryCode, runRecoveryStep } from "./recovery.js";

// Passphrase length is checked here, not with minlength, so the message lands in the
// form's alert like every other one instead of a browser tooltip.
const MIN_PASSPHRASE_LENGTH = 12;

function backupLink() {
  const link = document.createElement("a");
  link.href = "/Account/Backup";
  link.textContent = "Import a key backup";
  return link;
}

// The message for a new passphrase that will not do, or null.
function newPassphraseProblem(form) {
  const passphrase = field(form, "passphrase");
  if (passphrase !== field(form, "confirm_passphrase")) return "The passphrases do not match.";
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters.`;
  return null;
}

async function register(form) {
  await working(form, async (ui) => {
    const email = field(form, "email").trim();
    const displayName = field(form, "display_name").trim();
    const passphrase = field(form, "passphrase");
    const problem = newPassphraseProblem(form);
    if (problem) {
      ui.error(problem);
      return;
    }

    // Registering can fail (e.g. the email is taken); keep whatever vault this device
    // had for the email, or a failed attempt would destroy a working key.
    const storageKey = vaultStorageKey(email);
    const previousVault = localStorage.getItem(storageKey);
    let deviceKey;
    try {
      ui.busy("Deriving key…");
      const { publicKey, privateKey } = await createVault(email, passphrase);
      ui.busy("Creating account…");
      const token = await csrfToken();
      const { challenge } = await postJson("/api/auth/challenge", { email, purpose: "register" }, token);
      const signature = await signText(privateKey, challenge);
      await postJson("/api/auth/register", {
        email, display_name: displayName, public_key: publicKey, challenge, signature,
      }, token);
      deviceKey = privateKey;
    } catch (error) {
      if (previousVault === null) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, previousVault);
      throw error;
    }
    ui.done("Account created.");
    form.hidden = true;
    await runRecoveryStep(email, deviceKey);
    location.assign(form.dataset.redirect || "/Wallet");
  });
}

// A new device: the recovery code's key signs a challenge naming a new device key, which
// replaces the lost one; then a new recovery code is set up (the used one is spent).
async function recover(form) {
  await working(form, async (ui) => {
    const email = field(form, "email").trim();
    const problem = newPassphraseProblem(form);
    if (problem) {
      ui.error(problem);
      return;
    }
    if (normalizeRecoveryCode(field(form, "recovery_code")) === null) {
      ui.error("That is not a recovery code: 28 letters and digits, in groups of four.");
      return;
    }
    ui.busy("Deriving keys…");
    const recoveryKey = await deriveRecoveryKey(field(form, "recovery_code"));
    const storageKey = vaultStorageKey(email);
    const previousVault = localStorage.getItem(storageKey);
    let deviceKey;
    try {
      const { publicKey, privateKey } = await createVault(email, field(form, "passphrase"));
      ui.busy("Recovering your account…");
      const token = await csrfToken();
      const { challenge } = await postJson("/api/auth/challenge", { email, purpose: "recover", public_key: publicKey }, token);
      await postJson("/api/auth/recover", { email, public_key: publicKey, challenge, signature: await signText(recoveryKey.privateKey, challenge) }, token);
      deviceKey = privateKey;
    } catch (error) {
      if (previousVault === null) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, previousVault);
      throw error;
    }
    ui.done("Account recovered.");
    form.hidden = true;
    await runRecoveryStep(email, deviceKey);
    location.assign("/Wallet");
  });
}

// Setting up (or replacing) the recovery code later, from the account page: the passphrase
// unlocks this device's key, which has to sign for it.
async function setUpRecovery(form) {
  await working(form, async (ui) => {
    const email = form.dataset.email;
    ui.busy("Deriving key…");
    let deviceKey;
    try {
      deviceKey = await unlockVault(email, field(form, "passphrase"));
    } catch (error) {
      if (error.name === "WrongPassphrase") {
        ui.error("Wrong passphrase");
        return;
      }
      if (error.name === "NoVault") {
        ui.error("There is no key for this email on this device. ", backupLink(), " first.");
        return;
      }
      throw error;
    }
    ui.done("");
    form.hidden = true;
    await runRecoveryStep(email, deviceKey);
    location.assign("/Account");
  });
}

async function login(form) {
  await working(form, async (ui) => {
    const email = field(form, "email").trim();
    ui.busy("Deriving key…");
    let privateKey;
    try {
      privateKey = await unlockVault(email, field(form, "passphrase"));
    } catch (error) {
      if (error.name === "WrongPassphrase") {
        ui.error("Wrong passphrase");
        return;
      }
      if (error.name === "NoVault") {
        ui.error("There is no key for this email on this device. ", backupLink(), " from another device to log in here.");
        return;
      }
      throw error;
    }
    ui.busy("Logging in…");
    const token = await csrfToken();
    const { challenge } = await postJson("/api/auth/challenge", { email, purpose: "login" }, token);
    const signature = await signText(privateKey, challenge);
    await postJson("/api/auth/login", { email, challenge, signature }, token);
    ui.done("Logged in.");
    location.assign(form.dataset.redirect || "/Wallet");
  });
}

async function downloadBackup(form) {
  await working(form, async (ui) => {
    try {
      const email = exportVaultBackup(field(form, "email"));
      ui.done(`Downloaded the encrypted key for ${email}. Keep it somewhere safe; it still needs your passphrase.`);
    } catch (error) {
      if (error.name === "NoVault") {
        ui.error("There is no key for this email on this device.");
        return;
      }
      throw error;
    }
  });
}

async function importBackup(form) {
  await working(form, async (ui) => {
    const file = form.elements.namedItem("backup_file")?.files?.[0];
    if (!file) {
      ui.error("Choose a backup file first.");
      return;
    }
    const email = importVaultBackup(await file.text());
    const link = document.createElement("a");
    link.href = "/Account/Login";
    link.textContent = "log in";
    ui.done("");
    form.querySelector('[role="status"]').replaceChildren(
      `Imported the key for ${email}. You can now `, link, " on this device.");
  });
}

const handlers = [
  ["[data-register-form]", register],
  ["[data-recover-form]", recover],
  ["[data-recovery-setup]", setUpRecovery],
  ["[data-login-form]", login],
  ["[data-backup-export]", downloadBackup],
  ["[data-backup-import]", importBackup],
];

export function initAuth(root = document) {
  handleSubmits(root, handlers);
}
