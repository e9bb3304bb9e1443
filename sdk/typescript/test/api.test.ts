// Tests of the client against the real API process, built and started by
// server.ts on a free port (or the one at JCDD_API_URL).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";

import {
  createJcddClient,
  JcddError,
  paginate,
  type EventList,
  type JcddClient,
  type JcddEvent,
  type operations,
} from "../src/index.js";
import { packageDir, startAPI, type API } from "./server.js";

let api: API;
let jcdd: JcddClient;

before(async () => {
  api = await startAPI();
  jcdd = createJcddClient({ baseUrl: api.url });
});

after(async () => {
  await api?.stop();
});

/** A GET of the API without the SDK, to compare the SDK's answers with. */
async function plainGet<T>(pathAndQuery: string): Promise<T> {
  const res = await fetch(api.url + pathAndQuery);
  assert.equal(res.status, 200, `GET ${pathAndQuery}`);
  return (await res.json()) as T;
}

/** Asserts that fn rejects with a JcddError, and returns it. */
async function rejection(fn: () => Promise<unknown>): Promise<JcddError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof JcddError, `expected a JcddError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

describe("every operation", () => {
  // Record<keyof operations, …>: tsc --strict fails here when openapi.yaml
  // gains an operation that is not called.
  const calls: Record<keyof operations, () => Promise<void>> = {
    getHealth: async () => {
      const h = await jcdd.getHealth();
      assert.equal(h.status, "ok");
      assert.match(h.release, /^\d+\.\d+\.\d+$/);
    },
    listEvents: async () => {
      const page = await jcdd.listEvents({ limit: 3 });
      assert.equal(page.items.length, 3);
      assert.ok(page.next_cursor, "a first page of 3 has a next_cursor");
      assert.match(page.meta.release, /^\d+\.\d+\.\d+$/);
      assert.equal(page.meta.total_exact, true);
      const all = await plainGet<EventList>("/v1/events?limit=500");
      assert.equal(page.meta.total, all.items.length, "meta.total counts every page");
    },
    getEventFacets: async () => {
      const f = await jcdd.getEventFacets({ actor: ["us-nsa"], limit: 3 });
      assert.equal(f.total_exact, true);
      const list = await jcdd.listEvents({ actor: ["us-nsa"], limit: 500 });
      assert.equal(f.total, list.items.length);
      assert.ok(f.facets && f.facets.actor.length <= 3, "limit bounds the actor facet");
      assert.deepEqual(f.facets.actor[0], { value: "us-nsa", count: list.items.length });
      const years = new Map<string, number>();
      for (const e of list.items) {
        const year = (e.occurred ?? "").slice(0, 4);
        years.set(year, (years.get(year) ?? 0) + 1);
      }
      assert.deepEqual(f.facets.year, [...years].sort().map(([value, count]) => ({ value, count })));
    },
    getEvent: async () => {
      const e = await jcdd.getEvent("nsa-discovers-intrusion");
      assert.equal(e.id, "nsa-discovers-intrusion");
      assert.ok(e.title?.en && e.sources && e.sources.length > 0);
    },
    listActors: async () => {
      const page = await jcdd.listActors({ limit: 500 });
      assert.ok(page.items.some((a) => a.id === "us-nsa"));
    },
    getActor: async () => {
      const a = await jcdd.getActor("us-nsa", { fields: "id,name" });
      assert.equal(a.id, "us-nsa");
      assert.ok(a.name?.en);
      assert.equal(a.kind, undefined, "fields=id,name leaves kind out");
    },
    listActorEvents: async () => {
      const page = await jcdd.listActorEvents("us-nsa", { limit: 500 });
      assert.ok(page.items.length > 0);
      for (const e of page.items) {
        assert.ok(e.actors?.some((x) => x.actor === "us-nsa"), `${e.id} involves us-nsa`);
      }
    },
    listBudgetLines: async () => {
      const page = await jcdd.listBudgetLines({ stage: ["initial"], limit: 500 });
      assert.ok(page.items.length > 0);
      for (const b of page.items) assert.equal(b.stage, "initial");
    },
    getBudgetFacets: async () => {
      const f = await jcdd.getBudgetFacets({ stage: ["initial"] });
      const list = await jcdd.listBudgetLines({ stage: ["initial"], limit: 500 });
      assert.equal(f.total, list.items.length);
      assert.equal(list.meta.total, list.items.length);
      assert.deepEqual(f.facets?.stage, [{ value: "initial", count: list.items.length }]);
    },
    getBudgetSummary: async () => {
      const s = await jcdd.getBudgetSummary({ stage: ["initial"] });
      assert.ok(s.items.length > 0);
      for (const t of s.items) {
        assert.equal(t.stage, "initial");
        assert.ok(Number.isInteger(t.cyber_jpy) && t.cyber_jpy > 0, "yen are integers");
      }
    },
    listPrograms: async () => {
      const page = await jcdd.listPrograms({ limit: 500 });
      assert.ok(page.items.length > 0);
    },
    getProgram: async () => {
      const first = (await jcdd.listPrograms({ limit: 1 })).items[0];
      assert.ok(first);
      const p = await jcdd.getProgram(first.id);
      assert.equal(p.id, first.id);
    },
    listSources: async () => {
      const page = await jcdd.listSources({ limit: 500 });
      assert.ok(page.items.length > 0);
    },
    getSource: async () => {
      const first = (await jcdd.listSources({ limit: 1 })).items[0];
      assert.ok(first);
      const s = await jcdd.getSource(first.id);
      assert.equal(s.id, first.id);
      assert.ok(s.url);
    },
    listReleases: async () => {
      const index = await jcdd.listReleases();
      assert.equal(index.items.filter((r) => r.current).length, 1, "exactly one current release");
    },
    getRelease: async () => {
      const r = await jcdd.getRelease("latest");
      assert.equal(r.current, true);
      assert.ok(r.counts.events > 0);
    },
    getReleaseChanges: async () => {
      const index = await jcdd.listReleases();
      const oldest = index.items[index.items.length - 1];
      const latest = index.items[0];
      assert.ok(oldest && latest && oldest.version !== latest.version, "two releases to compare");
      const c = await jcdd.getReleaseChanges(latest.version, { since: oldest.version });
      assert.equal(c.release, latest.version);
      assert.equal(c.since, oldest.version);
      assert.ok(c.events.added.length > 0, "the later release adds events");
    },
    downloadRelease: async () => {
      const latest = (await jcdd.listReleases()).items[0];
      assert.ok(latest?.bundle);
      const zip = new Uint8Array(await jcdd.downloadRelease(latest.version));
      assert.equal(zip.byteLength, latest.bundle.size);
      const { createHash } = await import("node:crypto");
      assert.equal(createHash("sha256").update(zip).digest("hex"), latest.bundle.sha256);
    },
    downloadReleaseDatabase: async () => {
      const latest = (await jcdd.listReleases()).items[0];
      assert.ok(latest?.sqlite);
      const db = new Uint8Array(await jcdd.downloadReleaseDatabase(latest.version));
      assert.equal(db.byteLength, latest.sqlite.size);
      assert.equal(new TextDecoder().decode(db.subarray(0, 15)), "SQLite format 3");
      const { createHash } = await import("node:crypto");
      assert.equal(createHash("sha256").update(db).digest("hex"), latest.sqlite.sha256);
    },
    getReleaseFeed: async () => {
      const feed = await jcdd.getReleaseFeed();
      assert.match(feed, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
      for (const r of (await jcdd.listReleases()).items) {
        assert.ok(feed.includes(`<title>jcdd ${r.version}</title>`), `the feed lists ${r.version}`);
      }
    },
  };
  for (const [operationId, call] of Object.entries(calls)) {
    it(operationId, call);
  }
});

describe("paging", () => {
  it("walking /v1/events by cursor returns every event once, as one page of 500 does", async () => {
    const all = await plainGet<EventList>("/v1/events?status=all&limit=500");
    assert.equal(all.next_cursor, undefined, "the dataset fits in one page of 500");

    let pages = 0;
    const walked: JcddEvent[] = [];
    for await (const e of paginate(async (cursor) => {
      pages++;
      return jcdd.listEvents({ status: "all", limit: 7, cursor });
    })) {
      walked.push(e);
    }
    const ids = walked.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    assert.equal(ids.length, all.items.length);
    assert.deepEqual(ids, all.items.map((e) => e.id), "same events in the same order");
    assert.deepEqual(walked, all.items, "same events, field for field");
    assert.equal(pages, Math.ceil(all.items.length / 7));
    assert.ok(pages > 1, "more than one page");
  });

  it("sends array parameters as repeated parameters (style form, explode true)", async () => {
    const sent: URL[] = [];
    const recording = createJcddClient({
      baseUrl: api.url,
      fetch: (req) => {
        sent.push(new URL(req.url));
        return fetch(req);
      },
    });
    const page = await recording.listEvents({ type: ["briefing", "report"], limit: 500 });
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]?.searchParams.getAll("type"), ["briefing", "report"]);
    assert.match(sent[0]?.search ?? "", /[?&]type=briefing&type=report(&|$)/);

    const want = await plainGet<EventList>("/v1/events?type=briefing&type=report&limit=500");
    assert.ok(want.items.length > 0);
    assert.deepEqual(page.items.map((e) => e.id), want.items.map((e) => e.id));
    const types = new Set(page.items.map((e) => e.type));
    assert.ok(types.has("briefing") && types.has("report"), "both types, OR-ed");
    assert.equal(types.size, 2);
  });
});

describe("errors", () => {
  it("an unknown id is a JcddError 404 with the problem details", async () => {
    const err = await rejection(() => jcdd.getEvent("no-such-event"));
    assert.equal(err.status, 404);
    assert.equal(err.title, "Not Found");
    assert.match(err.detail ?? "", /^no event with id "no-such-event" in release \d+\.\d+\.\d+$/);
    assert.deepEqual(err.errors.map((e) => e.location), ["path.id"]);
    assert.equal(err.problem.status, 404);
    assert.equal(err.response.headers.get("content-type"), "application/problem+json");
    assert.match(err.message, /^jcdd: 404 Not Found: no event with id/);
  });

  it("an invalid parameter is a JcddError 422 naming the parameter", async () => {
    const err = await rejection(() => jcdd.listEvents({ limit: 1000, from: "yesterday" }));
    assert.equal(err.status, 422);
    assert.equal(err.title, "Unprocessable Entity");
    assert.ok(err.detail);
    const locations = new Set(err.errors.map((e) => e.location));
    assert.deepEqual([...locations].sort(), ["query.from", "query.limit"]);
    const limit = err.errors.find((e) => e.location === "query.limit");
    assert.equal(limit?.value, 1000);
    assert.ok(limit?.message);
  });

  it("a bad value in a repeated parameter is located by its index", async () => {
    // The enum type forbids "nope" at compile time; a caller without types may still send it.
    const err = await rejection(() =>
      jcdd.listEvents({ type: ["briefing", "nope" as unknown as "briefing"] }),
    );
    assert.equal(err.status, 422);
    assert.deepEqual(err.errors.map((e) => e.location), ["query.type[1]"]);
  });

  it("a tampered cursor is a JcddError 400", async () => {
    const err = await rejection(() => jcdd.listEvents({ cursor: "not-a-cursor" }));
    assert.equal(err.status, 400);
    assert.equal(err.title, "Bad Request");
    assert.deepEqual(err.errors.map((e) => e.location), ["query.cursor"]);
  });
});

describe("raw client", () => {
  it("reads CSV as text and revalidates with If-None-Match", async () => {
    const csv = await jcdd.raw.GET("/v1/events", {
      params: { query: { format: "csv", fields: "id,title", limit: 2 } },
      parseAs: "text",
    });
    assert.equal(csv.response.status, 200);
    assert.match(csv.response.headers.get("content-type") ?? "", /^text\/csv/);
    assert.equal(csv.data?.trim().split("\r\n").length, 3, "a header row and two rows");

    const first = await jcdd.raw.GET("/v1/events/{id}", { params: { path: { id: "nsa-discovers-intrusion" } } });
    const etag = first.response.headers.get("etag");
    assert.ok(etag, "an ETag on a 200");
    const again = await jcdd.raw.GET("/v1/events/{id}", {
      params: { path: { id: "nsa-discovers-intrusion" }, header: { "If-None-Match": etag } },
    });
    assert.equal(again.response.status, 304);
  });
});

describe("example", () => {
  it("npm run example prints the events, one event and the 404", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["dist/example/example.js", api.url],
      { cwd: packageDir },
    );
    assert.match(stdout, /^\d+ events$/m);
    assert.match(stdout, /NSA detects the Chinese penetration/);
    assert.match(stdout, /^404 Not Found: no event with id "no-such-event" in release [\d.]+ \[path\.id\]$/m);
  });
});
