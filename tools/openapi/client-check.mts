// A client generated from Dunwell's OpenAPI document (openapi-typescript types, openapi-fetch calls), type-checked by tsc
// and run against a live host: it posts a payment and proposes an arrangement. Arguments: base URL, API key, account id.
import createClient from "openapi-fetch";
import type { paths } from "./api.js";

declare const process: { argv: string[] }; // node's, without pulling in @types/node

const [baseUrl, apiKey, accountId] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
const id = Number(accountId);

const payment = await client.POST("/api/v1/accounts/{id}/payments", {
  params: { path: { id }, header: { "Idempotency-Key": "generated-client-payment" } },
  body: { amount: "10.00", currency: "USD", paidOn: "2026-03-01", method: "card", reference: "GEN-1", note: "through a generated client" },
});
if (!payment.data) {
  throw new Error(`payment answered ${payment.response.status}: ${JSON.stringify(payment.error)}`);
}

const arrangement = await client.POST("/api/v1/accounts/{id}/arrangements", {
  params: { path: { id }, header: { "Idempotency-Key": "generated-client-promise" } },
  body: { kind: "promise", total: "100.00", firstPaymentOn: "2026-03-09", frequency: null, instalments: null, downPayment: null, note: null },
});
if (!arrangement.data) {
  throw new Error(`arrangement answered ${arrangement.response.status}: ${JSON.stringify(arrangement.error)}`);
}

const refused = await client.POST("/api/v1/accounts/{id}/payments", {
  params: { path: { id }, header: { "Idempotency-Key": "generated-client-overpayment" } },
  body: { amount: "99999.00", currency: "USD", paidOn: "2026-03-01", method: "card", reference: "GEN-2", note: null },
});

console.log(JSON.stringify({
  payment: { entryId: payment.data.entryId, amount: payment.data.amount.amount, balance: payment.data.balance.total },
  arrangement: { id: arrangement.data.id, kind: arrangement.data.kind, state: arrangement.data.state, total: arrangement.data.total.amount },
  refused: { status: refused.response.status, title: refused.error?.title ?? null },
}));
