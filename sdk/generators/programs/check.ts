// What every client's program checks, whatever the generator: the client
// gives its answers to these functions in plain form.
import { createHash } from "node:crypto";

export function assert(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(what);
}

/** Follows next_cursor from the first page to the last, checking that no id comes twice. */
export async function walk(
  name: string,
  page: (cursor: string | undefined) => Promise<{ ids: string[]; next?: string | undefined }>,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const p = await page(cursor);
    pages++;
    for (const id of p.ids) {
      assert(!seen.has(id), `${name}: ${id} comes twice`);
      seen.add(id);
      ids.push(id);
    }
    assert(p.next !== cursor, `${name}: the cursor repeats`);
    cursor = p.next;
    assert(pages < 1000, `${name}: no last page`);
  } while (cursor);
  return { ids, pages };
}

/** The SHA-256 of a downloaded body, hex-encoded. */
export async function sha256(body: Blob): Promise<string> {
  return createHash("sha256").update(Buffer.from(await body.arrayBuffer())).digest("hex");
}
