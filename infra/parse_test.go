package infra

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"
)

const templatePath = "template.yaml"

// numberParams are the values Number parameters take when the template is
// read for the tests: unusual on purpose, so that a test can tell a property
// wired to its parameter from a literal that equals the default.
var numberParams = map[string]any{
	"ThrottlingRateLimit":  17.5,
	"ThrottlingBurstLimit": 23,
	"LogRetentionDays":     400,
}

// unmodelled lists the SAM properties that goformation v7.14.9 cannot read:
// its HttpApi has AccessLogSetting where SAM and cfn-lint require
// AccessLogSettings, and it rejects unknown properties. They are taken out
// before goformation reads the template and kept in template.extra.
var unmodelled = map[string][]string{
	"AWS::Serverless::HttpApi": {"AccessLogSettings"},
}

// template is infra/template.yaml as the tests read it. Intrinsic functions
// are rendered the way Fn::Sub writes them (see intrinsicHandlers), and
// there is no Globals section to merge (the template has none, and a test
// keeps it so).
type template struct {
	*cloudformation.Template
	// raw is the whole template as generic JSON, for checks that must see
	// every resource whatever its type.
	raw map[string]any
	// extra holds the unmodelled properties: logical id → name → value.
	extra map[string]map[string]any
}

var readTemplate = sync.OnceValues(func() (*template, error) { return parseTemplate(templatePath) })

// loadTemplate returns the parsed template, read once per test binary.
func loadTemplate(t *testing.T) *template {
	t.Helper()
	tmpl, err := readTemplate()
	if err != nil {
		t.Fatalf("reading %s: %v", templatePath, err)
	}
	return tmpl
}

func parseTemplate(path string) (*template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	processed, err := intrinsics.ProcessYAML(data, &intrinsics.ProcessorOptions{
		IntrinsicHandlerOverrides: intrinsicHandlers,
		ParameterOverrides:        numberParams,
	})
	if err != nil {
		return nil, err
	}
	var raw, modelled map[string]any
	if err := json.Unmarshal(processed, &raw); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(processed, &modelled); err != nil {
		return nil, err
	}
	extra := map[string]map[string]any{}
	resources, _ := modelled["Resources"].(map[string]any)
	for id, r := range resources {
		res, _ := r.(map[string]any)
		typ, _ := res["Type"].(string)
		props, _ := res["Properties"].(map[string]any)
		for _, name := range unmodelled[typ] {
			if v, ok := props[name]; ok {
				if extra[id] == nil {
					extra[id] = map[string]any{}
				}
				extra[id][name] = v
				delete(props, name)
			}
		}
	}
	b, err := json.Marshal(modelled)
	if err != nil {
		return nil, err
	}
	cf, err := goformation.ParseJSONWithOptions(b, &intrinsics.ProcessorOptions{NoProcess: true})
	if err != nil {
		return nil, fmt.Errorf("goformation: %w", err)
	}
	return &template{Template: cf, raw: raw, extra: extra}, nil
}

// intrinsicHandlers render intrinsic functions as Fn::Sub would write them,
// where goformation would resolve them to nothing: !Ref Table reads
// "${Table}", !GetAtt Table.Arn reads "${Table.Arn}", and
// !Sub ${Table.Arn}/index/* stays "${Table.Arn}/index/*". A Ref to a Number
// parameter gives the parameter's value (see numberParams), since
// goformation's types want a number there. Fn::If reads as if its condition
// held, so that optional values are visible to the tests.
var intrinsicHandlers = map[string]intrinsics.IntrinsicHandler{
	"Ref": func(_ string, input, tmpl any) any {
		name, ok := input.(string)
		if !ok || name == "AWS::NoValue" {
			return nil
		}
		if p := parameter(tmpl, name); p["Type"] == "Number" {
			return p["Default"]
		}
		return "${" + name + "}"
	},
	"Fn::GetAtt": func(_ string, input, _ any) any {
		switch v := input.(type) {
		case string:
			return "${" + v + "}"
		case []any:
			parts := make([]string, len(v))
			for i, p := range v {
				parts[i] = fmt.Sprint(p)
			}
			return "${" + strings.Join(parts, ".") + "}"
		}
		return nil
	},
	"Fn::Sub": func(_ string, input, _ any) any {
		switch v := input.(type) {
		case string:
			return v
		case []any:
			if len(v) > 0 {
				return v[0]
			}
		}
		return nil
	},
	"Fn::If": func(_ string, input, _ any) any {
		if v, ok := input.([]any); ok && len(v) == 3 {
			return v[1]
		}
		return nil
	},
}

// parameter returns the declaration of a template parameter, or nil.
func parameter(tmpl any, name string) map[string]any {
	root, _ := tmpl.(map[string]any)
	params, _ := root["Parameters"].(map[string]any)
	p, _ := params[name].(map[string]any)
	return p
}

// resourcesOfType returns the logical ids of the resources of a type, sorted.
func (tmpl *template) resourcesOfType(typ string) []string {
	var ids []string
	for id, r := range tmpl.Resources {
		if r.AWSCloudFormationType() == typ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// policyStatement is one statement of an IAM or resource policy.
type policyStatement struct {
	Sid         string
	Effect      string
	Principal   any
	Action      stringList
	NotAction   stringList
	Resource    stringList
	NotResource stringList
	Condition   map[string]map[string]any
}

// stringList is a policy element that may be one string or a list.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

// statements decodes the statements of a policy document; Statement may be
// one object or a list.
func statements(doc any) ([]policyStatement, error) {
	var d struct{ Statement json.RawMessage }
	if err := remarshal(doc, &d); err != nil {
		return nil, err
	}
	var list []policyStatement
	if err := json.Unmarshal(d.Statement, &list); err == nil {
		return list, nil
	}
	var one policyStatement
	if err := json.Unmarshal(d.Statement, &one); err != nil {
		return nil, fmt.Errorf("policy statements: %w", err)
	}
	return []policyStatement{one}, nil
}

// remarshal converts generic JSON into a typed value.
func remarshal(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// grants lists what Allow statements grant, one "action on resource" per
// pair, sorted.
func grants(stmts []policyStatement) []string {
	var out []string
	for _, s := range stmts {
		if s.Effect != "Allow" {
			continue
		}
		for _, a := range s.Action {
			for _, r := range s.Resource {
				out = append(out, a+" on "+r)
			}
		}
	}
	slices.Sort(out)
	return out
}

// diff describes how got differs from want, both sorted.
func diff(got, want []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "\n  missing:    %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "\n  unexpected: %s", g)
		}
	}
	return b.String()
}

// walk calls visit for every JSON object in v, with its path.
func walk(path string, v any, visit func(path string, obj map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		visit(path, v)
		for _, k := range slices.Sorted(maps.Keys(v)) {
			walk(path+"."+k, v[k], visit)
		}
	case []any:
		for i, e := range v {
			walk(fmt.Sprintf("%s[%d]", path, i), e, visit)
		}
	}
}

// deref returns what p points to, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
