package sdktest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoSDKUpToDate fails when sdk/go/jcdd.gen.go is not what `make sdk`
// generates from the committed openapi.yaml with the committed config.
func TestGoSDKUpToDate(t *testing.T) {
	const gen = "sdk/go/jcdd.gen.go"
	// The same command as the Makefile's sdk-go target, to standard output.
	cmd := exec.Command(goBin(), "tool", "oapi-codegen", "-config", "sdk/go/oapi-codegen.yaml", "openapi.yaml")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("go tool oapi-codegen: %v\n%s", err, stderr.Bytes())
	}
	got, err := os.ReadFile(filepath.Join(root, gen))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run `make sdk` and commit the result (%s)", gen, firstDifference(got, want))
	}
}

// TestGoExample runs sdk/go/example, in the SDK's own module, against the
// API: it compiles with the SDK's go.mod alone and does what its README says.
func TestGoExample(t *testing.T) {
	cmd := exec.Command(goBin(), "run", "./example", "-api", baseURL)
	cmd.Dir = filepath.Join(root, "sdk", "go")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run ./example: %v\n%s", err, out)
	}
	for _, want := range []string{
		" events in 2 pages (release ",
		"NSA detects the Chinese penetration",
		`404 problem: title="Not Found" detail="no event with id \"no-such-event\"`,
		`as an error: jcdd: 404 Not Found: no event with id "no-such-event"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the example's output lacks %q:\n%s", want, out)
		}
	}
}

// firstDifference describes the first line where a and b differ.
func firstDifference(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d: committed %q, generated %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("committed %d lines, generated %d", len(al), len(bl))
}
