// A client of `cargo xtask bench`: Polar's TypeScript SDK streams every customer meter.
// usage: node client.mjs URL ITEMS LIMIT
import { createPolar } from "@polar-sh/sdk/2026-10";

const [url, , limit] = process.argv.slice(2);
const polar = createPolar({ accessToken: "polar_oat_bench", baseUrl: url });
let seen = 0;
for await (const meter of polar.customerMeters.iterList({ limit: Number(limit) })) {
  if (meter.id) seen += 1;
}
console.log(`items ${seen}`);
