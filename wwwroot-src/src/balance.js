// The balance poll (issue 16). Elements that show a balance refresh on "balance-poll" from
// body; this fires it every 30 s while the tab is visible, and once on coming back to a tab
// that missed a poll. A hidden tab sends nothing, so idle open tabs cost the server nothing;
// a visible one is answered 304 while the balance has not changed (the server's ETag).
// A change on this page fires "balance-changed" instead, which refreshes at once.
const INTERVAL_MS = 30_000;

export function initBalancePoll(root = document) {
  let last = Date.now();
  const poll = () => {
    last = Date.now();
    root.body.dispatchEvent(new CustomEvent("balance-poll"));
  };
  const due = () => !root.hidden && Date.now() - last >= INTERVAL_MS;
  // Ticks more often than the interval, so a poll is at most a few seconds late after a tab returns.
  setInterval(() => { if (due()) poll(); }, 5_000);
  root.addEventListener("visibilitychange", () => { if (due()) poll(); });
}
