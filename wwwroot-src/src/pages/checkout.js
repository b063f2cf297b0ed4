// The checkout page: signs the spend intent in the browser.
import { initCheckout } from "../checkout.js";

initCheckout(document);
