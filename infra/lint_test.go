package infra

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cfnLint returns the path of AWS's cfn-lint (CFN_LINT, else the PATH). It
// is part of this machine kind's image and cannot be installed by the
// project (it comes from the Python registry), so its absence fails the
// test rather than skipping it: a skipped lint would look like a clean one.
func cfnLint(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CFN_LINT"); bin != "" {
		return bin
	}
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal("cfn-lint is not installed. It is AWS's CloudFormation linter (Python, with aws-sam-translator), " +
			"part of this machine's image: install it with `pipx install cfn-lint` or set CFN_LINT to its path. " +
			"(The npm package named cfn-lint is a different, unrelated tool that rejects valid SAM.)")
	}
	return bin
}

// runCfnLint lints a template and returns cfn-lint's findings (one per
// line) and its exit code: 0 clean, else a bit mask of 2 errors, 4
// warnings, 8 informational (1 when cfn-lint itself failed).
func runCfnLint(t *testing.T, bin, path string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--format", "parseable", "--", path).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	default:
		t.Fatalf("running %s: %v\n%s", bin, err, out)
		return "", 0
	}
}

func TestCfnLint(t *testing.T) {
	t.Parallel()
	bin := cfnLint(t)
	t.Run("template is clean", func(t *testing.T) {
		t.Parallel()
		out, code := runCfnLint(t, bin, templatePath)
		if code != 0 || strings.TrimSpace(out) != "" {
			t.Errorf("cfn-lint %s exited %d (2 errors, 4 warnings, 8 informational):\n%s", templatePath, code, out)
		}
	})
	// The linter must see the template as SAM and report a real mistake,
	// or its silence above proves nothing.
	t.Run("a broken template is not", func(t *testing.T) {
		t.Parallel()
		b, err := os.ReadFile(templatePath)
		if err != nil {
			t.Fatal(err)
		}
		broken := bytes.Replace(b, []byte("Runtime: provided.al2023"), []byte("Runtime: provided.al1999"), 1)
		if bytes.Equal(broken, b) {
			t.Fatal("template.yaml has no `Runtime: provided.al2023` to break")
		}
		path := filepath.Join(t.TempDir(), "template.yaml")
		if err := os.WriteFile(path, broken, 0o644); err != nil {
			t.Fatal(err)
		}
		out, code := runCfnLint(t, bin, path)
		if code&2 == 0 || !strings.Contains(out, "provided.al1999") {
			t.Errorf("cfn-lint exited %d on a template with an invalid runtime, want an error naming it:\n%s", code, out)
		}
	})
}
