// The wallet page: the Buy credits dialog.
import { initWallet } from "../wallet.js";

initWallet(document);
