// orval's configuration: a fetch client of the API from the committed
// description, into out/orval (not committed: run.mjs writes it). The
// generated functions call programs/fetch.ts, which sends them to the
// server given at run time.
export default {
  jcdd: {
    input: { target: "../../openapi.yaml" },
    output: {
      target: "out/orval/jcdd.ts",
      client: "fetch",
      mode: "single",
      clean: true,
      override: { mutator: { path: "programs/fetch.ts", name: "customFetch" } },
    },
  },
};
