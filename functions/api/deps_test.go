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

// maintainerTrees are the package trees that no Lambda function may link,
// because only the maintainer's command line (tools/jcdd) and the tests
// need them: the test environments (local DynamoDBs, the fault proxy),
// which start processes and listen on ports; the full AWS configuration
// chain of an operator's laptop (awsconfig, megabytes of credential
// providers: a function's credentials come from its environment); the
// loader's progress bars and terminal detection; command-line flags.
var maintainerTrees = []string{
	"github.com/jcdd/jcdd/internal/testenv",
	"github.com/jcdd/jcdd/internal/awsconfig",
	"github.com/vbauerster/mpb/v8",
	"golang.org/x/term",
	"flag",
}

// lambdaDeps lists the packages of a function's Lambda build (as make build
// and SAM build it: linux/arm64, tag lambda.norpc), with the packages of
// the build that import each one.
func lambdaDeps(t *testing.T, dir string) (deps map[string]bool, importers map[string][]string) {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, dir)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	cmd.Stderr = new(strings.Builder)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", dir, err, cmd.Stderr)
	}
	deps, importers = map[string]bool{}, map[string][]string{}
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
	if !deps["github.com/aws/aws-sdk-go-v2/service/dynamodb"] {
		t.Fatalf("go list did not list the Lambda build's packages of %s:\n%s", dir, out)
	}
	return deps, importers
}

// inTree reports whether package p is tree or below it.
func inTree(p, tree string) bool { return p == tree || strings.HasPrefix(p, tree+"/") }

// TestLambdaBuildHasNoTemplates fails if the API's Lambda build has a
// template package or the SQLite library, naming the packages that import
// it.
func TestLambdaBuildHasNoTemplates(t *testing.T) {
	deps, importers := lambdaDeps(t, ".")
	if !deps["github.com/jcdd/jcdd/internal/api"] {
		t.Fatal("go list did not list internal/api among the Lambda build's packages")
	}
	for p := range deps {
		for _, m := range lambdaForbiddenModules {
			if inTree(p, m) {
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

// TestLambdaBuildsHaveNoMaintainerCode fails if the Lambda build of either
// function links a package of maintainerTrees.
func TestLambdaBuildsHaveNoMaintainerCode(t *testing.T) {
	for _, dir := range []string{".", "../loader"} {
		deps, importers := lambdaDeps(t, dir)
		for p := range deps {
			for _, tree := range maintainerTrees {
				if inTree(p, tree) {
					slices.Sort(importers[p])
					t.Errorf("the Lambda build of %s depends on %s, imported by %s: test environments and maintainer commands stay out of the deployed functions",
						dir, p, strings.Join(importers[p], ", "))
				}
			}
		}
	}
}
