// The client that orval generates (out/orval, fetch client), with the
// fetch of ./fetch for the base URL: list with a filter, follow cursors to
// the end, one record, the budget summary, the download.
// Usage: node dist/programs/orval.js URL
import { downloadRelease, getBudgetSummary, getEvent, listEvents, listReleases } from "../out/orval/jcdd";
import { assert, sha256, walk } from "./check";
import { setBaseURL } from "./fetch";

async function main(base: string): Promise<string> {
  setBaseURL(base);

  const paged = await walk("listEvents", async (cursor) => {
    const res = await listEvents({ country: ["JP"], limit: 7, cursor });
    // A list answers JSON, CSV or NDJSON: this asks for (and checks) JSON.
    if (res.status !== 200 || !("data" in res) || typeof res.data === "string") throw new Error(`listEvents: ${res.status}`);
    for (const e of res.data.items) assert(e.countries?.includes("JP"), `listEvents: ${e.id} does not involve JP`);
    return { ids: res.data.items.map((e) => e.id), next: res.data.next_cursor };
  });
  const all = await listEvents({ country: ["JP"], limit: 500 });
  if (all.status !== 200 || !("data" in all) || typeof all.data === "string") throw new Error(`listEvents: ${all.status}`);
  assert(all.data.items.length === paged.ids.length && !all.data.next_cursor, "listEvents: paging lost or added events");

  const event = await getEvent("nsa-discovers-intrusion");
  if (event.status !== 200) throw new Error(`getEvent: ${event.status}`);
  assert(event.data.id === "nsa-discovers-intrusion" && event.data.title?.en, "getEvent: not the event asked for");

  const summary = await getBudgetSummary({ stage: ["initial"] });
  if (summary.status !== 200 || !("data" in summary) || typeof summary.data === "string") throw new Error(`getBudgetSummary: ${summary.status}`);
  assert(summary.data.items.length > 0, "getBudgetSummary: no rows");
  for (const row of summary.data.items) assert(row.stage === "initial" && Number.isInteger(row.cyber_jpy), `getBudgetSummary: row ${JSON.stringify(row)}`);

  const index = await listReleases();
  if (index.status !== 200) throw new Error(`listReleases: ${index.status}`);
  const current = index.data.items.find((r) => r.current);
  assert(current?.bundle, "listReleases: no current release with a bundle");
  const zip = await downloadRelease("latest");
  if (zip.status !== 200) throw new Error(`downloadRelease: ${zip.status}`);
  assert(zip.data instanceof Blob && zip.headers.get("Content-Type") === "application/zip", "downloadRelease: not a zip");
  assert((await sha256(zip.data)) === current.bundle.sha256, "downloadRelease: the zip's SHA-256 differs from the index");

  return `${paged.ids.length} events in ${paged.pages} pages, event ${event.data.id}, ${summary.data.items.length} summary rows, ${current.bundle.name} (${zip.data.size} bytes, sha256 ok)`;
}

main(process.argv[2] ?? "http://127.0.0.1:8080").then(
  (s) => console.log(`orval client: ${s}`),
  (err: unknown) => {
    console.error(`orval client: ${String(err)}`);
    process.exit(1);
  },
);
