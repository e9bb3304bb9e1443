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
	$(GO) run ./functions/api openapi > openapi.yaml

generate: schema openapi

fmt:
	gofmt -w $$(git ls-files --cached --others --exclude-standard '*.go' | grep -v '^sdk/')

lint:
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' | grep -v '^sdk/')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test: lint validate
	$(GO) test -count=1 ./...
