package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// lambdaForbiddenDeps must stay out of the Lambda bootstrap. text/template
// (which html/template uses) calls reflect.Value.MethodByName, which stops
// the linker from removing unused methods: every method of the DynamoDB
// client then stays in the binary, several megabytes. The pages are written
// without templates (internal/api/html.go).
var lambdaForbiddenDeps = []string{"text/template", "text/template/parse", "html/template"}

// lambdaForbiddenModules must stay out of the Lambda bootstrap too: the
// SQLite library (several megabytes of translated C) builds the release
// databases, which the release build makes once (package sqlitedb); the
// API only serves their bytes or redirects to them.
var lambdaForbiddenModules = []string{"modernc.org/sqlite", "modernc.org/libc"}

// TestLambdaBuildHasNoTemplates lists the packages of the Lambda build (as
// make build and SAM build it: linux/arm64, tag lambda.norpc) and fails if
// one of them is a template package or the SQLite library, naming the
// packages that import it.
func TestLambdaBuildHasNoTemplates(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, ".")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	cmd.Stderr = new(strings.Builder)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, cmd.Stderr)
	}
	deps := map[string]bool{}
	importers := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		deps[fields[0]] = true
		for _, imp := range fields[1:] {
			importers[imp] = append(importers[imp], fields[0])
		}
	}
	if !deps["github.com/jcdd/jcdd/internal/api"] || !deps["github.com/aws/aws-sdk-go-v2/service/dynamodb"] {
		t.Fatalf("go list did not list the Lambda build's packages:\n%s", out)
	}
	for p := range deps {
		for _, m := range lambdaForbiddenModules {
			if p == m || strings.HasPrefix(p, m+"/") {
				t.Errorf("the Lambda build depends on %s, imported by %s: the SQLite library belongs to the release build (package sqlitedb), never to the API",
					p, strings.Join(importers[p], ", "))
			}
		}
	}
	for _, p := range lambdaForbiddenDeps {
		if deps[p] {
			slices.Sort(importers[p])
			t.Errorf("the Lambda build depends on %s, imported by %s: it would keep every method of the DynamoDB client in the bootstrap; write HTML with htmlWriter (internal/api/html.go) instead",
				p, strings.Join(importers[p], ", "))
		}
	}
}
