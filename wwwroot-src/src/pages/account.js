// Log in, register, recover, recovery code and key backup pages.
import { initAuth } from "../auth.js";

// For the browser tests, which check the derivation against vectors computed with node.
export { deriveRecoveryKey } from "../recovery.js";

initAuth(document);
