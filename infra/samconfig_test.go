package infra

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

const (
	samconfigPath = "samconfig.toml"
	releasePath   = "../dataset/release.yaml"
)

// samconfig is samconfig.toml: environment → command → "parameters" →
// key → value. The top-level version key is dropped.
type samconfig map[string]map[string]map[string]any

func readSamconfig(t *testing.T) samconfig {
	t.Helper()
	var raw map[string]any
	if _, err := toml.DecodeFile(samconfigPath, &raw); err != nil {
		t.Fatalf("reading %s: %v", samconfigPath, err)
	}
	cfg := samconfig{}
	for env, v := range raw {
		cmds, ok := v.(map[string]any)
		if !ok {
			continue // version = 0.1
		}
		cfg[env] = map[string]map[string]any{}
		for cmd, v := range cmds {
			table, _ := v.(map[string]any)
			params, _ := table["parameters"].(map[string]any)
			cfg[env][cmd] = params
		}
	}
	return cfg
}

// parseOverrides reads a parameter_overrides value: a list of "Key=Value"
// strings, or one string of space-separated Key=Value pairs whose values
// may be quoted, as `sam deploy --guided` writes it.
func parseOverrides(v any) (map[string]string, error) {
	var pairs []string
	switch v := v.(type) {
	case []any:
		for _, p := range v {
			s, ok := p.(string)
			if !ok {
				return nil, fmt.Errorf("parameter_overrides: %v is not a string", p)
			}
			pairs = append(pairs, s)
		}
	case string:
		var err error
		if pairs, err = splitQuoted(v); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("parameter_overrides is a %T, want a string or a list of strings", v)
	}
	out := map[string]string{}
	for _, p := range pairs {
		k, val, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("parameter_overrides: %q is not Key=Value", p)
		}
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		}
		out[k] = val
	}
	return out, nil
}

// splitQuoted splits s at spaces outside quotes, keeping the quotes.
func splitQuoted(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote = r
			cur.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\n':
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("parameter_overrides: unbalanced %c in %q", quote, s)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out, nil
}

func TestParseOverrides(t *testing.T) {
	tests := []struct {
		in   any
		want map[string]string
	}{
		{[]any{"DatasetVersion=1.2.3", "LogLevel=INFO"}, map[string]string{"DatasetVersion": "1.2.3", "LogLevel": "INFO"}},
		// What `sam deploy --guided` writes.
		{`DatasetVersion="1.2.3" AlarmEmail="" ThrottlingRateLimit="50"`, map[string]string{"DatasetVersion": "1.2.3", "AlarmEmail": "", "ThrottlingRateLimit": "50"}},
		{`Description='a b' DatasetVersion=2.0.0`, map[string]string{"Description": "a b", "DatasetVersion": "2.0.0"}},
	}
	for _, tt := range tests {
		got, err := parseOverrides(tt.in)
		if err != nil || !maps.Equal(got, tt.want) {
			t.Errorf("parseOverrides(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []any{`DatasetVersion="1.2.3`, []any{"DatasetVersion"}, 42} {
		if got, err := parseOverrides(bad); err == nil {
			t.Errorf("parseOverrides(%q) = %v, want an error", bad, got)
		}
	}
}

func TestSamconfigDeploysTheDatasetVersion(t *testing.T) {
	// The loader activates the release embedded in its binary, whose
	// version is dataset/release.yaml's; DatasetVersion is what makes
	// CloudFormation run it. A bump of one without the other must fail CI.
	b, err := os.ReadFile(releasePath)
	if err != nil {
		t.Fatal(err)
	}
	var rel struct{ Version string }
	if err := yaml.Unmarshal(b, &rel); err != nil || rel.Version == "" {
		t.Fatalf("%s: no version (%v)", releasePath, err)
	}

	cfg := readSamconfig(t)
	var found []string
	for _, env := range slices.Sorted(maps.Keys(cfg)) {
		for _, cmd := range slices.Sorted(maps.Keys(cfg[env])) {
			v, ok := cfg[env][cmd]["parameter_overrides"]
			if !ok {
				continue
			}
			where := env + "." + cmd + ".parameters.parameter_overrides"
			overrides, err := parseOverrides(v)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			got, ok := overrides["DatasetVersion"]
			if !ok {
				t.Errorf("%s does not set DatasetVersion", where)
				continue
			}
			found = append(found, where)
			if got != rel.Version {
				t.Errorf("%s sets DatasetVersion=%s, but %s has version %s: update samconfig.toml with the release", where, got, releasePath, rel.Version)
			}
		}
	}
	if !slices.Contains(found, "default.deploy.parameters.parameter_overrides") {
		t.Errorf("%s: [default.deploy.parameters] sets no DatasetVersion in parameter_overrides (found in %q)", samconfigPath, found)
	}
}

func TestSamconfigDeploySettings(t *testing.T) {
	cfg := readSamconfig(t)
	stack := cfg["default"]["global"]["stack_name"]
	if s, ok := cfg["default"]["deploy"]["stack_name"]; ok {
		stack = s
	}
	if stack != "jcdd" {
		t.Errorf("stack_name = %v, want jcdd", stack)
	}
	// The roles are unnamed, so CAPABILITY_IAM suffices (TestRoles).
	caps := fmt.Sprint(cfg["default"]["deploy"]["capabilities"])
	if !slices.Contains(strings.FieldsFunc(caps, func(r rune) bool { return strings.ContainsRune(" []", r) }), "CAPABILITY_IAM") {
		t.Errorf("deploy capabilities = %s, want CAPABILITY_IAM", caps)
	}
	// The cursor secret is asked for by `sam deploy --guided` and never
	// written down.
	for env, cmds := range cfg {
		for cmd, params := range cmds {
			if overrides, err := parseOverrides(params["parameter_overrides"]); err == nil {
				if _, ok := overrides["CursorSecret"]; ok {
					t.Errorf("%s.%s: parameter_overrides holds CursorSecret: keep secrets out of the repository", env, cmd)
				}
			}
		}
	}
}
