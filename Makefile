# jcdd — the Japan Cyber Defense Dataset and API.
#
#   make run        serve the embedded dataset on http://127.0.0.1:8080
#   make test       everything CI runs (installs what it needs)
#   make validate   check the dataset and print its counts
#   make generate   regenerate the JSON Schemas and openapi.yaml

GO ?= go
export GOFLAGS ?= -buildvcs=false

.PHONY: run test validate schema openapi generate lint fmt

run:
	$(GO) run ./functions/api

validate:
	$(GO) run ./tools/jcdd validate

schema:
	$(GO) run ./tools/jcdd schema dataset/schema

openapi:
	$(GO) run ./tools/jcdd openapi > openapi.yaml
	$(GO) run ./tools/jcdd docs > internal/api/pages/docs.html.tmp && mv internal/api/pages/docs.html.tmp internal/api/pages/docs.html

generate: schema openapi

fmt:
	gofmt -w $$(git ls-files --cached --others --exclude-standard '*.go' | grep -v '^sdk/')

# golangci-lint (configured in .golangci.yml) is pinned in tools/lint/go.mod,
# a module of its own so that its many dependencies stay out of the project's
# go.mod. go tool builds it on first use (minutes) and caches the build.
GOLANGCI_LINT = $(GO) tool -modfile=tools/lint/go.mod golangci-lint

lint:
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' | grep -v '^sdk/')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GOLANGCI_LINT) run ./...

test: lint validate lint-openapi rie fuzz-short
	$(GO) test -count=1 -timeout 30m ./...

# --- Both local DynamoDB implementations -------------------------------------
#
# make test runs the store's conformance suite, the release life-cycle tests and
# the activate/delete race on dynalite and on moto (internal/store/dynamo and
# internal/publish: moto is started when a test first needs it), and every
# other DynamoDB test on dynalite. test-dynamodb also runs on moto what make test leaves to dynalite:
# the conformance suite's walk over the embedded dataset and 200 rounds of the
# lock's race (JCDD_DYNAMODB_FULL), and every package whose tests share one
# local DynamoDB — the API parity test, the table commands' and crash tests
# (tools/jcdd), the Lambda and template tests (JCDD_DYNAMODB=moto). moto_server comes with the
# machine's image; without it CI fails and a local run skips.

.PHONY: test-dynamodb
test-dynamodb: tools rie
	JCDD_DYNAMODB_FULL=1 $(GO) test -count=1 -timeout 30m ./internal/store/... ./internal/publish/... ./internal/testenv/storetest/...
	JCDD_DYNAMODB=moto $(GO) test -count=1 -timeout 30m ./internal/api/ ./functions/... ./tools/jcdd/ ./infra/

# --- npm test tools and the OpenAPI linters -----------------------------------

.PHONY: tools lint-openapi

TOOLS_BIN := tools/node_modules/.bin
# No telemetry, analytics or update checks from the npm tools.
TOOLS_ENV := SCARF_ANALYTICS=false DO_NOT_TRACK=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NPM_CONFIG_UPDATE_NOTIFIER=false

# tools installs the pinned npm tools, only when node_modules is missing or
# older than the lock file.
tools: tools/node_modules/.installed

tools/node_modules/.installed: tools/package-lock.json
	cd tools && $(TOOLS_ENV) npm ci --no-audit --no-fund
	touch $@

# lint-openapi lints the generated spec; any warning fails, as any error does.
# Redocly exits 0 on warnings, so its JSON totals are checked as well.
lint-openapi: tools
	$(TOOLS_ENV) $(TOOLS_BIN)/spectral lint --ruleset .spectral.yaml --fail-severity=warn openapi.yaml
	@$(TOOLS_ENV) $(TOOLS_BIN)/redocly lint --config redocly.yaml --lint-config=error --format=json --max-problems=1000 openapi.yaml 2>/dev/null | \
	node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let r;try{r=JSON.parse(s)}catch(e){console.error("redocly gave no report: run $(TOOLS_BIN)/redocly lint openapi.yaml to see why");process.exit(1)}for(const p of r.problems)console.log(`openapi.yaml $${p.severity} $${p.ruleId}: $${p.message} ($${(p.location[0]||{}).pointer})`);const t=r.totals;console.log(`redocly lint openapi.yaml: $${t.errors} errors, $${t.warnings} warnings`);if(t.errors||t.warnings){console.error("details: $(TOOLS_BIN)/redocly lint openapi.yaml");process.exit(1)}})'

# release publishes the working copy: it freezes dataset/*.yaml as
# dataset/releases/<version>/ (version from dataset/release.yaml; a no-op if
# already published unchanged, refused if published with other bytes), then
# writes dist/jcdd-<version>.zip and .sqlite for every published release.
.PHONY: release
release:
	$(GO) run ./tools/jcdd release -dataset dataset -dist dist

# Serve the API from a local DynamoDB (dynalite) instead of memory.
run-dynamodb: tools
	$(GO) run ./tools/jcdd devstack $(if $(DEV),-dev)

# --- Lambda bootstraps ---------------------------------------------------------
#
# make build writes the linux/arm64 bootstrap of each function into
# .build/<function>/ and prints its size. SAM builds through the
# build-<LogicalId> targets (Metadata: BuildMethod: makefile), which write
# into the $(ARTIFACTS_DIR) it gives.

.PHONY: build build-ApiFunction build-LoaderFunction

LAMBDA_GOENV   := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
LAMBDA_GOFLAGS := -tags lambda.norpc -trimpath -ldflags='-s -w'

build:
	@for fn in api loader; do \
		$(LAMBDA_GOENV) $(GO) build $(LAMBDA_GOFLAGS) -o .build/$$fn/bootstrap ./functions/$$fn || exit 1; \
		printf '%-7s %s bytes (%s MiB)\n' $$fn $$(stat -c %s .build/$$fn/bootstrap) \
			$$(awk "BEGIN {printf \"%.1f\", $$(stat -c %s .build/$$fn/bootstrap)/1048576}"); \
	done

build-ApiFunction:
	$(LAMBDA_GOENV) $(GO) build $(LAMBDA_GOFLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/api

build-LoaderFunction:
	$(LAMBDA_GOENV) $(GO) build $(LAMBDA_GOFLAGS) -o $(ARTIFACTS_DIR)/bootstrap ./functions/loader

# --- AWS's Lambda runtime interface emulator, for the bootstrap tests --------

RIE_VERSION := v0.0.0-20261030222936-bef5c4ba774d
.PHONY: rie
rie: tools/bin/aws-lambda-rie

tools/bin/aws-lambda-rie:
	GOBIN=$(CURDIR)/tools/bin $(GO) install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)

# --- SDKs: sdk/go (oapi-codegen) and sdk/typescript (openapi-typescript) ------

.PHONY: sdk sdk-go sdk-typescript test-sdk test-sdk-go test-sdk-typescript

# sdk regenerates both SDKs from openapi.yaml (after `make openapi` when the
# API changed). Tests fail when the committed code differs from what this
# writes: TestGoSDKUpToDate in sdk/sdktest, test/generated.test.ts.
sdk: sdk-go sdk-typescript

sdk-go:
	$(GO) tool oapi-codegen -config sdk/go/oapi-codegen.yaml -o sdk/go/jcdd.gen.go openapi.yaml

sdk-typescript: sdk/typescript/node_modules/.installed
	cd sdk/typescript && $(TOOLS_ENV) npm run --silent generate

sdk/typescript/node_modules/.installed: sdk/typescript/package-lock.json
	cd sdk/typescript && $(TOOLS_ENV) npm ci --no-audit --no-fund
	touch $@

# test-sdk checks the Go SDK module on its own (tidy, vet, gofmt, its unit
# tests) and builds (tsc --strict) and tests (node --test) the TypeScript SDK
# against an API process that its tests start. The Go SDK's tests against the
# API are in sdk/sdktest, a package of the main module: `go test ./...` runs
# them.
test-sdk: test-sdk-go test-sdk-typescript

test-sdk-go:
	cd sdk/go && $(GO) mod tidy -diff && $(GO) vet ./... && $(GO) test -count=1 ./...
	@out=$$(gofmt -l sdk); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

test-sdk-typescript: sdk/typescript/node_modules/.installed
	cd sdk/typescript && $(TOOLS_ENV) GO=$(GO) npm test

test: test-sdk

# test-generators generates clients of openapi.yaml with more generators
# than the two committed SDKs, @hey-api/openapi-ts and orval (pinned in
# sdk/generators/package.json), fails on any warning they print, type-checks
# what they write with tsc --noEmit --strict, and runs a small program with
# each client against the API on a free port (sdk/generators/run.mjs).
.PHONY: test-generators
test-generators: sdk/generators/node_modules/.installed
	cd sdk/generators && $(TOOLS_ENV) GO=$(GO) node run.mjs

sdk/generators/node_modules/.installed: sdk/generators/package-lock.json
	cd sdk/generators && $(TOOLS_ENV) npm ci --no-audit --no-fund
	touch $@

test: test-generators

# --- Fuzzing -------------------------------------------------------------------
#
# make test runs every fuzz target for FUZZTIME (a few seconds each, on top of
# the seed corpora that go test always runs); make fuzz runs them for longer.

FUZZ_TARGETS := ./dataset:FuzzParseDate ./internal/export:FuzzCSVCell ./internal/api/cursor:FuzzCursorDecode ./internal/api/cursor:FuzzFingerprint ./internal/api/httpx:FuzzQueryError ./internal/api:FuzzHasEmptyValue ./internal/api:FuzzParseQuery
FUZZTIME ?= 3s

.PHONY: fuzz fuzz-short
fuzz-short:
	@GO=$(GO) tools/fuzz-short.sh $(FUZZTIME) $(FUZZ_TARGETS)

fuzz:
	$(MAKE) fuzz-short FUZZTIME=2m

# A longer run of the spec-driven fuzzer (make test sends 6,000 requests).
.PHONY: fuzz-api
fuzz-api:
	JCDD_SPECFUZZ_N=200000 $(GO) test -count=1 -run '^TestSpecFuzz$$' -v ./internal/api

# --- Browser for the landing page's test (tools/browser) -----------------------
#
# Debian's chromium, never a browser downloaded by a tool, driven by
# playwright-core (make tools), and a Japanese font so that the test's
# screenshot shows kanji rather than boxes. apt-get runs only when one is
# missing. Where chromium cannot be installed, CI fails; a local run goes on
# and the browser test skips with a message.

BROWSER_SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
BROWSER_PACKAGES := chromium fonts-ipafont-gothic

.PHONY: browser
browser: tools
	@if [ -x /usr/bin/chromium ] && fc-list :lang=ja 2>/dev/null | grep -q .; then exit 0; fi; \
	echo "installing $(BROWSER_PACKAGES) with apt-get"; \
	if command -v apt-get >/dev/null && $(BROWSER_SUDO) apt-get update -qq && \
		$(BROWSER_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); then exit 0; fi; \
	if [ ! -x /usr/bin/chromium ] && [ -n "$$CI" ]; then echo "chromium could not be installed; CI needs it for the browser test" >&2; exit 1; fi; \
	if [ ! -x /usr/bin/chromium ]; then echo "warning: no chromium; the browser test will skip"; \
	else echo "warning: no Japanese font; the screenshot will show boxes for kanji"; fi

test: browser

# --- Benchmarks ------------------------------------------------------------------
#
# make bench runs every benchmark (tools/bench: in-process handlers, loopback
# HTTP with wrk beside nginx and json-server, Lambda cold starts and warm
# invocations beside bare handlers (tools/bench/floor), synthetic
# releases of 1k-100k events over memory and DynamoDB, the loader, the read
# units of a realistic request mix and the cost per million requests derived
# from them) and prints one table of medians and ratios, also written to
# .build/bench.md; the cost model goes to docs/cost.md. It
# installs what it needs: wrk and nginx-light (apt-get, with sudo when not
# root), json-server and dynalite (make tools), the Lambda emulator (make
# rie). It takes about 40 minutes; BENCH_FLAGS selects parts, e.g.
# make bench BENCH_FLAGS='-parts inproc,http'.
#
# make test runs every Go benchmark once (bench-smoke), so that none can rot:
# the handler benchmarks, the scale benchmarks and the cost mix at 1k events
# (the mix also on the newest published release), one cold start
# and the lambda part's warm measurement with 20 invocations of each
# function in each case (BenchmarkLambdaWarm in tools/bench).

.PHONY: bench bench-deps bench-smoke

BENCH_FLAGS ?=

bench: bench-deps tools rie
	@mkdir -p .build
	$(GO) run ./tools/bench -md .build/bench.md $(BENCH_FLAGS)

bench-deps:
	@missing=""; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "installing$$missing"; \
		$$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

bench-smoke: tools rie
	$(GO) test -count=1 -run '^$$' -bench . -benchtime=1x ./internal/api ./functions/api ./tools/bench

test: bench-smoke
