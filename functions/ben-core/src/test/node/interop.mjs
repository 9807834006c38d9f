// Runs Standard Webhooks operations with the independent `standardwebhooks` npm package, for
// ben-core's StandardWebhooksInteropIT. Line protocol (stdin → stdout, one result line per input line);
// free-text fields are base64 (UTF-8) so that any body survives the trip:
//   sign <secret> <id> <timestampSeconds> <base64 body>                      → <webhook-signature>
//   verify <secret> <id> <timestamp> <base64 signature header> <base64 body>  → ok | error <message>
import { createInterface } from "node:readline";
import pkg from "standardwebhooks";

const { Webhook } = pkg;
const text = (b64) => Buffer.from(b64, "base64").toString("utf8");

function run(line) {
  const [op, secret, id, timestamp, ...rest] = line.split(" ");
  switch (op) {
    case "sign":
      return new Webhook(secret).sign(id, new Date(Number(timestamp) * 1000), text(rest[0]));
    case "verify":
      try {
        const headers = { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": text(rest[0]) };
        new Webhook(secret).verify(text(rest[1]), headers, { jsonParse: false });
        return "ok";
      } catch (e) {
        return `error ${e.message}`;
      }
    default:
      return `error unknown op ${op}`;
  }
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() !== "") process.stdout.write(run(line) + "\n");
}
