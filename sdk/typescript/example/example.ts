/**
 * The TypeScript SDK at work: a filtered list paged through by cursor, one
 * event, and the typed error of an unknown id.
 *
 *     make run                                   # in another terminal, from the repository root
 *     cd sdk/typescript && npm ci && npm run build
 *     npm run example                            # or: npm run example -- http://127.0.0.1:PORT
 */
import { createJcddClient, JcddError, paginate } from "../src/index.js";

const jcdd = createJcddClient({ baseUrl: process.argv[2] ?? "http://127.0.0.1:8080" });

// 1. Briefings and statements of 2020–2021, three a page: the client sends
// ?type=briefing&type=statement&from=2020&to=2021&limit=3, then follows
// next_cursor until the last page.
let n = 0;
for await (const e of paginate((cursor) =>
  jcdd.listEvents({ type: ["briefing", "statement"], from: "2020", to: "2021", limit: 3, cursor }),
)) {
  n++;
  console.log(`${e.occurred ?? ""}\t${e.type ?? ""}\t${e.title?.en ?? e.id}`);
}
console.log(`${n} events`);

// 2. One event, typed as Event.
const e = await jcdd.getEvent("nsa-discovers-intrusion");
console.log(`\n${e.title?.en} (${e.occurred}, ${e.confidence})\n${e.summary?.en}`);

// 3. An unknown id: a JcddError carrying the problem details.
try {
  await jcdd.getEvent("no-such-event");
} catch (err) {
  if (!(err instanceof JcddError) || err.status !== 404) throw err;
  console.log(`\n${err.status} ${err.title}: ${err.detail} [${err.errors.map((d) => d.location).join(", ")}]`);
}
