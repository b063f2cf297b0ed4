// Stripe's own webhook signing, for the C# tests that check our verifier agrees with it.
//   node stripe-signature.mjs sign <secret> <unix seconds>    payload on stdin → prints a Stripe-Signature header
//   node stripe-signature.mjs verify <secret> <header>       payload on stdin → prints "ok" or the library's error
import Stripe from "stripe";

const [mode, secret, arg] = process.argv.slice(2);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const payload = Buffer.concat(chunks).toString("utf8");
const stripe = new Stripe("sk_test_unused");

if (mode === "sign") {
  process.stdout.write(stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Number(arg) }));
} else if (mode === "verify") {
  try {
    stripe.webhooks.constructEvent(payload, arg, secret);
    process.stdout.write("ok");
  } catch (error) {
    process.stdout.write(String(error.message));
  }
} else {
  process.stderr.write("usage: sign|verify <secret> <timestamp|header>\n");
  process.exit(2);
}
