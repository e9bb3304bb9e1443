package export

import (
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jcdd/jcdd/dataset"
)

// SchemaField describes one CSV column as a Frictionless Table Schema field.
// Types, constraints and descriptions come from the struct tags of the
// dataset types, so that the codebook can never disagree with the loader.
type SchemaField struct {
	Name        string       `json:"name"`
	Type        string       `json:"type"`
	Format      string       `json:"format,omitempty"`
	Description string       `json:"description"`
	Constraints *Constraints `json:"constraints,omitempty"`
}

// Constraints are the Table Schema constraints of a field.
type Constraints struct {
	Required bool     `json:"required,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	Pattern  string   `json:"pattern,omitempty"`
	Minimum  *float64 `json:"minimum,omitempty"`
	Maximum  *float64 `json:"maximum,omitempty"`
}

var textType = reflect.TypeFor[dataset.Text]()

// fieldsOf describes the columns of a table. doc is the Go type whose
// fields the columns' Field names refer to (the record type for a main
// table, the child item type for a child table); nil when there is none.
func fieldsOf[T any](t Table[T], doc reflect.Type) []SchemaField {
	out := make([]SchemaField, len(t))
	for i, c := range t {
		out[i] = describeColumn(doc, c.Name, c.Field, c.Doc)
	}
	return out
}

// describeColumn derives a column's type, constraints and description from
// the struct field it comes from. A column that copies a scalar field gets
// that field's type and constraints; a column that flattens a list or a
// nested value into text is a string, described by the field's doc followed
// by how the cell is written.
func describeColumn(doc reflect.Type, name, field, columnDoc string) SchemaField {
	f := SchemaField{Name: name, Type: "string"}
	sf, ok := jsonField(doc, field)
	if !ok {
		f.Description = sentence(columnDoc)
		return f
	}
	fieldDoc := period(sf.Tag.Get("doc"))
	required := !strings.Contains(sf.Tag.Get("json"), ",omitempty")
	switch {
	case sf.Type == textType:
		part, _ := jsonField(textType, "en")
		if strings.HasSuffix(name, "_ja") {
			part, _ = jsonField(textType, "ja")
			required = false
		}
		f.Description = fieldDoc + " " + period(part.Tag.Get("doc"))
		if required {
			f.Constraints = &Constraints{Required: true}
		}
	case scalarType(sf.Type.Kind()) != "":
		f.Type = scalarType(sf.Type.Kind())
		f.Format = sf.Tag.Get("format")
		f.Description = fieldDoc
		f.Constraints = constraintsOf(sf, required)
	default:
		f.Description = fieldDoc + " In this column: " + period(columnDoc)
	}
	return f
}

// jsonField finds the struct field with a JSON name, looking through
// embedded structs (such as dataset.Lifecycle) as encoding/json does.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	if t == nil || t.Kind() != reflect.Struct || name == "" {
		return reflect.StructField{}, false
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if sf.Anonymous && tag == "" && sf.Type.Kind() == reflect.Struct {
			if inner, ok := jsonField(sf.Type, name); ok {
				return inner, true
			}
			continue
		}
		if tag == name {
			return sf, true
		}
	}
	return reflect.StructField{}, false
}

// scalarType maps a Go kind to a Table Schema type; "" for kinds that are
// not written as a single value.
func scalarType(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	}
	return ""
}

func constraintsOf(sf reflect.StructField, required bool) *Constraints {
	c := &Constraints{Required: required}
	if enum := sf.Tag.Get("enum"); enum != "" {
		c.Enum = strings.Split(enum, ",")
	}
	if p := sf.Tag.Get("pattern"); p != "" {
		c.Pattern = xsdPattern(p)
	}
	c.Minimum = number(sf.Tag.Get("minimum"))
	c.Maximum = number(sf.Tag.Get("maximum"))
	if !c.Required && c.Enum == nil && c.Pattern == "" && c.Minimum == nil && c.Maximum == nil {
		return nil
	}
	return c
}

// xsdPattern turns a JSON Schema pattern (a search, anchored with ^ and $
// where it must match the whole value) into a Table Schema pattern, which is
// an XML Schema regular expression and always matches the whole value.
func xsdPattern(p string) string {
	if s, ok := strings.CutPrefix(p, "^"); ok {
		p = s
	} else {
		p = ".*" + p
	}
	if s, ok := strings.CutSuffix(p, "$"); ok {
		p = s
	} else {
		p += ".*"
	}
	return p
}

func number(s string) *float64 {
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic("export: bad numeric struct tag " + strconv.Quote(s)) // a programming error in package dataset
	}
	return &f
}

// period ends a description with a full stop, so that descriptions joined
// from several docs read as prose. The dataset's docs are sentences already,
// some deliberately starting with a lower-case enum value.
func period(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// sentence makes a column doc, written as a fragment ("id of the event"),
// into a sentence.
func sentence(s string) string {
	s = period(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
