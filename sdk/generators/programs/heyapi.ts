// The client that @hey-api/openapi-ts generates (out/heyapi), used as its
// README shows: list with a filter, follow cursors to the end, one record,
// the budget summary, the download. Usage: node dist/programs/heyapi.js URL
import { client } from "../out/heyapi/client.gen";
import { downloadRelease, getBudgetSummary, getEvent, listEvents, listReleases } from "../out/heyapi/sdk.gen";
import { assert, sha256, walk } from "./check";

async function main(base: string): Promise<string> {
  client.setConfig({ baseUrl: base });

  // Events involving Japan, 7 a page, to the last page; then all of them in one page.
  const paged = await walk("listEvents", async (cursor) => {
    const { data, error } = await listEvents({ query: { country: ["JP"], limit: 7, cursor } });
    assert(data, `listEvents: ${JSON.stringify(error)}`);
    for (const e of data.items) assert(e.countries?.includes("JP"), `listEvents: ${e.id} does not involve JP`);
    return { ids: data.items.map((e) => e.id), next: data.next_cursor };
  });
  const { data: all } = await listEvents({ query: { country: ["JP"], limit: 500 } });
  assert(all && all.items.length === paged.ids.length && !all.next_cursor, "listEvents: paging lost or added events");

  const { data: event } = await getEvent({ path: { id: "nsa-discovers-intrusion" } });
  assert(event?.id === "nsa-discovers-intrusion" && event.title?.en, "getEvent: no such event");

  const { data: summary } = await getBudgetSummary({ query: { stage: ["initial"] } });
  assert(summary && summary.items.length > 0, "getBudgetSummary: no rows");
  for (const row of summary.items) assert(row.stage === "initial" && Number.isInteger(row.cyber_jpy), `getBudgetSummary: row ${JSON.stringify(row)}`);

  const { data: index } = await listReleases();
  const current = index?.items.find((r) => r.current);
  assert(current?.bundle, "listReleases: no current release with a bundle");
  const { data: zip, response } = await downloadRelease({ path: { version: "latest" }, parseAs: "blob" });
  assert(zip instanceof Blob && response?.headers.get("Content-Type") === "application/zip", "downloadRelease: not a zip");
  assert((await sha256(zip)) === current.bundle.sha256, "downloadRelease: the zip's SHA-256 differs from the index");

  return `${paged.ids.length} events in ${paged.pages} pages, event ${event.id}, ${summary.items.length} summary rows, ${current.bundle.name} (${zip.size} bytes, sha256 ok)`;
}

main(process.argv[2] ?? "http://127.0.0.1:8080").then(
  (s) => console.log(`@hey-api/openapi-ts client: ${s}`),
  (err: unknown) => {
    console.error(`@hey-api/openapi-ts client: ${String(err)}`);
    process.exit(1);
  },
);
