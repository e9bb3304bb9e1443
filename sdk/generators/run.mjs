// The generator matrix beyond the committed SDKs (make test-generators):
// generates a client of openapi.yaml with @hey-api/openapi-ts and with
// orval, fails on any warning either prints, type-checks both clients and
// the programs that use them with tsc --noEmit --strict, then runs each
// program against the API (functions/api over the embedded dataset, on a
// free port). Nothing it writes is committed: out/, dist/ and the API
// binary are rebuilt on every run.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..");
const bin = join(here, "node_modules", ".bin");
const run = promisify(execFile);
const env = { ...process.env, SCARF_ANALYTICS: "false", DO_NOT_TRACK: "1", NO_COLOR: "1", FORCE_COLOR: "0" };

function step(name) {
  const start = Date.now();
  return (what) => console.log(`${name}: ${what} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
}

// generate runs a generator and fails if it prints a warning or an error.
async function generate(name, args) {
  const done = step(name);
  let out;
  try {
    out = await run(join(bin, args[0]), args.slice(1), { cwd: here, env, maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`${name} failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
  // eslint-disable-next-line no-control-regex
  const text = (out.stdout + out.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  const warnings = text.split("\n").filter((l) => /warn|error|deprecat/i.test(l));
  if (warnings.length > 0) throw new Error(`${name} printed ${warnings.length} warning(s):\n${warnings.join("\n")}`);
  done("generated, 0 warnings");
}

// emit compiles the programs and the generated clients to CommonJS in dist/
// without checking types again (tsc --noEmit --strict has): the generated
// code imports without file extensions, which CommonJS resolves.
async function emit() {
  const ts = (await import("typescript")).default;
  const config = JSON.parse(await readFile(join(here, "tsconfig.json"), "utf8"));
  const options = ts.convertCompilerOptionsFromJson(config.compilerOptions, here).options;
  const files = [];
  for (const dir of config.include) {
    for (const f of await readdir(join(here, dir), { recursive: true })) {
      if (f.endsWith(".ts") && !f.endsWith(".d.ts")) files.push(join(dir, f));
    }
  }
  for (const f of files) {
    const src = await readFile(join(here, f), "utf8");
    const js = ts.transpileModule(src, { compilerOptions: options, fileName: f }).outputText;
    const target = join(here, "dist", relative(".", f).replace(/\.ts$/, ".js"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, js);
  }
  await writeFile(join(here, "dist", "package.json"), '{"type": "commonjs"}\n');
}

// startAPI builds functions/api and starts it on a free port.
async function startAPI() {
  const given = process.env.JCDD_API_URL;
  if (given) return { url: given.replace(/\/$/, ""), stop: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), "jcdd-generators-"));
  const api = join(dir, "api");
  await run(process.env.GO ?? "go", ["build", "-o", api, "./functions/api"], { cwd: repoRoot, maxBuffer: 16 << 20 });
  const child = spawn(api, ["--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s) => (stderr += s));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const lines = createInterface({ input: child.stdout });
  try {
    const first = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the API did not say where it listens within 30s")), 30_000);
      lines.once("line", (l) => (clearTimeout(timer), resolve(l)));
      child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`the API exited (${code}):\n${stderr}`))));
    });
    const m = /^listening on (http:\/\/\S+)$/.exec(first.trim());
    if (!m) throw new Error(`the API printed ${JSON.stringify(first)}`);
    lines.on("line", () => {});
    return { url: m[1], stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main() {
  await rm(join(here, "out"), { recursive: true, force: true });
  await rm(join(here, "dist"), { recursive: true, force: true });
  const apiStarting = startAPI(); // builds while the generators run
  apiStarting.catch(() => {});

  await Promise.all([
    generate("@hey-api/openapi-ts", ["openapi-ts", "-i", "../../openapi.yaml", "-o", "out/heyapi", "-c", "@hey-api/client-fetch"]),
    generate("orval", ["orval", "--config", "orval.config.mjs"]),
  ]);

  const checked = step("tsc --noEmit --strict");
  try {
    await run(join(bin, "tsc"), ["-p", "tsconfig.json", "--noEmit", "--strict"], { cwd: here, env, maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`the generated clients or the programs do not type-check:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
  checked("both clients and their programs type-check");
  await emit();

  const api = await apiStarting;
  try {
    for (const program of ["heyapi", "orval"]) {
      const ran = step(program);
      try {
        const { stdout } = await run(process.execPath, [join(here, "dist", "programs", `${program}.js`), api.url], { cwd: here, env });
        process.stdout.write(stdout);
      } catch (err) {
        throw new Error(`the ${program} program failed against ${api.url}:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
      }
      ran("ran against the API");
    }
  } finally {
    await api.stop();
  }
}

main().catch((err) => {
  console.error(String(err instanceof Error ? err.message : err));
  process.exit(1);
});
