// The transfer page: reviews, then signs the transfer intent in the browser.
import { initTransfer } from "../transfer.js";

initTransfer(document);
