// Builds the API (functions/api) and starts it on a free port for the tests.
import { spawn } from "node:child_process";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The package's folder (this file runs from dist/test/). */
export const packageDir = fileURLToPath(new URL("../../", import.meta.url));
/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface API {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the API over the embedded dataset on 127.0.0.1 and a free port, or
 * uses the one at JCDD_API_URL when that is set.
 */
export async function startAPI(): Promise<API> {
  const given = process.env["JCDD_API_URL"];
  if (given) return { url: given.replace(/\/$/, ""), stop: async () => {} };

  const dir = await mkdtemp(join(tmpdir(), "jcdd-sdk-ts-"));
  const bin = join(dir, "api");
  const go = process.env["GO"] ?? "go";
  try {
    await promisify(execFile)(go, ["build", "-o", bin, "./functions/api"], {
      cwd: repoRoot,
      maxBuffer: 16 << 20,
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`building the API with ${go} build ./functions/api: ${String(err)}`);
  }

  const child = spawn(bin, ["--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  // The first line on stdout is "listening on http://127.0.0.1:PORT".
  const lines = createInterface({ input: child.stdout });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the API did not say where it listens within 30s")), 30_000);
      lines.once("line", (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the API exited (${code}) before listening:\n${stderr}`));
      });
    });
    const m = /^listening on (http:\/\/\S+)$/.exec(first.trim());
    if (!m?.[1]) throw new Error(`the API printed ${JSON.stringify(first)}, not "listening on URL"`);
    lines.on("line", () => {}); // keep reading, so that the pipe never fills
    return { url: m[1], stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
