// The committed src/schema.ts must be what `npm run generate` (and so
// `make sdk`) writes from the committed openapi.yaml.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { it } from "node:test";
import { promisify } from "node:util";

import { packageDir } from "./server.js";

it("src/schema.ts is up to date with openapi.yaml (npm run generate -- --check)", async () => {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  try {
    await promisify(execFile)(npm, ["run", "--silent", "generate", "--", "--check"], { cwd: packageDir });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    assert.fail(
      `src/schema.ts is stale: run \`make sdk\` (or npm run generate) and commit it\n${e.stdout ?? ""}${e.stderr ?? ""}`,
    );
  }
});
