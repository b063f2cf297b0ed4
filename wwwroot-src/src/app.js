import { initAuth } from "./auth.js";
import { initCheckout } from "./checkout.js";
import { initCopy } from "./copy.js";
import { initFocus } from "./focus.js";
import { initReceipts } from "./receipts.js";
import { initTransfer } from "./transfer.js";
import { initWallet } from "./wallet.js";

// htmx 4 fires htmx:config:request with detail.ctx.request (method upper-cased, headers
// a plain object) before it issues a request; 3.x's htmx:configRequest no longer exists.
document.addEventListener("htmx:config:request", (event) => {
  const request = event.detail?.ctx?.request;
  if (!request?.action || request.method === "GET") return;
  // Never hand our antiforgery token to another origin.
  if (new URL(request.action, document.baseURI).origin !== location.origin) return;
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  if (token) request.headers["X-CSRF-Token"] = token;
});

initAuth(document);
initWallet(document);
initCheckout(document);
initTransfer(document);
initReceipts(document);
initFocus(document);
initCopy(document);
