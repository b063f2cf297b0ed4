// An order's page: verifies its receipt and its place in the ledger's Merkle tree.
import { initReceipts } from "../receipts.js";

// For the browser tests, which check that a changed transaction fails the inclusion check.
export { verifyLedgerInclusion } from "../receipts.js";

initReceipts(document);
