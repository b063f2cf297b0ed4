// Every page's bundle: htmx, the CSRF header on its requests, keyboard focus, log out and
// the header balance poll. A page that needs more loads its own bundle (pages/*.js) beside it.
import "htmx.org/dist/htmx.esm.js";
import { initBalancePoll } from "../balance.js";
import { initFocus } from "../focus.js";
import { initLogout } from "../logout.js";

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

initLogout(document);
initFocus(document);
initBalancePoll(document);
