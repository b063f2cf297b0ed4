// The bank transfer page: copy buttons for the account details and the reference.
import { initCopy } from "../copy.js";

initCopy(document);
