package scrub_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/scrub"
)

const tok = "ghp_TOKENtokenTOKENtokenTOKENtoken0000"

// fill sets every string reachable in v, through exported fields, to a text
// holding the token, giving each slice and map one element and each pointer
// a target. It knows no field names: a field added to the report is filled.
func fill(v reflect.Value, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("text " + tok + " text")
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		v.SetMapIndex(k, e)
	}
}

// allStrings returns every string reachable in v through exported fields.
func allStrings(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				allStrings(v.Field(i), out)
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			allStrings(v.Elem(), out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			allStrings(v.Index(i), out)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			allStrings(it.Key(), out)
			allStrings(it.Value(), out)
		}
	}
}

// TestEveryTextOfTheReportIsScrubbed fills every field of the report, as
// the report type is today or will be, with the token, and finds no trace
// of it after scrubbing: not in a field, nor in any rendering.
func TestEveryTextOfTheReportIsScrubbed(t *testing.T) {
	t.Parallel()
	var r report.Report
	fill(reflect.ValueOf(&r).Elem(), 0)
	var before []string
	allStrings(reflect.ValueOf(r), &before)
	if len(before) < 10 {
		t.Fatalf("only %d texts were filled", len(before))
	}
	got := scrub.Value(scrub.New([]string{tok}), r)
	var after []string
	allStrings(reflect.ValueOf(got), &after)
	if len(after) != len(before) {
		t.Errorf("%d texts before scrubbing, %d after", len(before), len(after))
	}
	for _, s := range after {
		if strings.Contains(s, tok) || s != scrub.Withheld {
			t.Errorf("a text was not scrubbed: %q", s)
		}
	}
	renderings := map[string]string{
		"JSON": string(got.JSON()), "Markdown": got.Markdown(), "Text": got.Text(report.TextStyle{}, "ghp_****"),
		"Headline": got.Headline(),
	}
	for name, v := range got.OutputValues() {
		renderings["output "+name] = v
	}
	for _, f := range got.Findings {
		renderings["annotation"] += report.Annotation(f)
	}
	for name, s := range renderings {
		if strings.Contains(s, tok) {
			t.Errorf("%s holds the token:\n%s", name, s)
		}
	}
	var again []string
	allStrings(reflect.ValueOf(r), &again)
	if !reflect.DeepEqual(again, before) {
		t.Error("scrubbing changed the report it was given")
	}
}

// TestTheReportHoldsNoUnexportedText keeps the report within what Value
// walks: text in an unexported field (which a method could print) would be
// copied as is. time.Time's unexported fields hold no text of the report.
func TestTheReportHoldsNoUnexportedText(t *testing.T) {
	t.Parallel()
	seen := map[reflect.Type]bool{}
	var visit func(reflect.Type, string)
	visit = func(ty reflect.Type, path string) {
		if seen[ty] || ty == reflect.TypeFor[time.Time]() {
			return
		}
		seen[ty] = true
		switch ty.Kind() {
		case reflect.Struct:
			for i := range ty.NumField() {
				f := ty.Field(i)
				if !f.IsExported() {
					t.Errorf("%s.%s is unexported: scrub.Value would copy it unscrubbed", path, f.Name)
					continue
				}
				visit(f.Type, path+"."+f.Name)
			}
		case reflect.Pointer, reflect.Slice, reflect.Array:
			visit(ty.Elem(), path)
		case reflect.Map:
			visit(ty.Key(), path)
			visit(ty.Elem(), path)
		}
	}
	visit(reflect.TypeFor[report.Report](), "Report")
}
