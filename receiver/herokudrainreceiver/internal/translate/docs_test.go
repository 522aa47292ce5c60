package translate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	conventions "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/herokudrain/herokudrain/receiver/herokudrainreceiver/internal/heroku"
)

// The attribute reference, docs/log-attributes.md, is checked against the
// code: every key the package can put on a record is declared as a
// constant (or, for semantic-convention names, a variable in semconv.go),
// every declared key is used and documented, nothing else is documented,
// and every fixed value the code writes is documented on its key's row.

const attributeDoc = "../../../../docs/log-attributes.md"

// semconvKeys maps the variables of semconv.go to their keys. The test
// checks that it lists exactly the variables semconv.go declares.
var semconvKeys = map[string]string{
	"attrHTTPMethod": attrHTTPMethod, "attrHTTPMethodOrig": attrHTTPMethodOrig, "attrHTTPStatus": attrHTTPStatus,
	"attrHTTPBodySize": attrHTTPBodySize, "attrURLPath": attrURLPath, "attrURLQuery": attrURLQuery,
	"attrURLScheme": attrURLScheme, "attrServerAddress": attrServerAddress, "attrClientAddress": attrClientAddress,
	"attrNetProtoName": attrNetProtoName, "attrNetProtoVersion": attrNetProtoVersion, "attrTLSProtoName": attrTLSProtoName,
	"attrTLSProtoVersion": attrTLSProtoVersion, "attrUserAgent": attrUserAgent, "attrErrorType": attrErrorType,
	"attrProcessExitCode": attrProcessExitCode, "attrProcessCommand": attrProcessCommand, "attrUserEmail": attrUserEmail,
	"attrReleaseCommit": attrReleaseCommit,
}

// resourceKeys are the resource attributes the receiver sets (metadata.yaml).
var resourceKeys = []string{string(conventions.CloudProviderKey), AttrDrainToken, string(conventions.ServiceNameKey)}

// metricFiles build metric points; keys used only there are metric
// attributes, documented with the metrics, not here.
var metricFiles = map[string]bool{"metrics.go": true, "histogram.go": true, "extra.go": true, "dynos.go": true}

// code is what the package's non-test sources declare and do.
type code struct {
	keys   map[string]string              // declared attribute constant or variable -> key
	uses   map[string]int                 // identifier -> uses outside its declaration and metricFiles
	inMetr map[string]int                 // identifier -> uses in metricFiles
	values map[string]map[string]struct{} // key -> literal values written for it
	bare   []string                       // attribute keys written as literals
}

func parseCode(t *testing.T) code {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	c := code{keys: map[string]string{}, uses: map[string]int{}, inMetr: map[string]int{}, values: map[string]map[string]struct{}{}}
	var parsed []*ast.File
	var names []string
	semconvVars := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		names = append(names, name)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gd.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for i, id := range vs.Names {
					switch {
					case name == "semconv.go" && gd.Tok == token.VAR:
						semconvVars[id.Name] = true
						c.keys[id.Name] = semconvKeys[id.Name]
					case gd.Tok == token.CONST && strings.HasPrefix(id.Name, "Attr") && i < len(vs.Values):
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							c.keys[id.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	for v := range semconvVars {
		if _, ok := semconvKeys[v]; !ok {
			t.Errorf("semconv.go declares %s: add it to semconvKeys in docs_test.go", v)
		}
	}
	for v := range semconvKeys {
		if !semconvVars[v] {
			t.Errorf("semconvKeys lists %s, which semconv.go does not declare", v)
		}
	}
	for i, f := range parsed {
		uses := c.uses
		if metricFiles[names[i]] {
			uses = c.inMetr
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if _, ok := c.keys[n.Name]; ok && (n.Obj == nil || !isDecl(n)) {
					uses[n.Name]++
				}
			case *ast.CallExpr:
				c.call(n)
			}
			return true
		})
	}
	return c
}

// isDecl reports whether id is the name in its own declaration.
func isDecl(id *ast.Ident) bool {
	vs, ok := id.Obj.Decl.(*ast.ValueSpec)
	return ok && slices.Contains(vs.Names, id)
}

// call records attrs.PutX(key, value) calls: literal keys (not allowed) and
// literal values of declared keys.
func (c *code) call(n *ast.CallExpr) {
	sel, ok := n.Fun.(*ast.SelectorExpr)
	if !ok || !strings.HasPrefix(sel.Sel.Name, "Put") || len(n.Args) < 1 {
		return
	}
	if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
		c.bare = append(c.bare, lit.Value)
		return
	}
	id, ok := n.Args[0].(*ast.Ident)
	if !ok || len(n.Args) < 2 {
		return
	}
	key, ok := c.keys[id.Name]
	if !ok {
		return
	}
	if lit, ok := n.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
		v, _ := strconv.Unquote(lit.Value)
		if c.values[key] == nil {
			c.values[key] = map[string]struct{}{}
		}
		c.values[key][v] = struct{}{}
	}
}

// doc is what docs/log-attributes.md says.
type doc struct {
	rows   map[string][]string // key -> the table rows that document it
	events map[string]bool     // names in the event-name table
}

var backticked = regexp.MustCompile("`([^`]+)`")

func parseDoc(t *testing.T) doc {
	t.Helper()
	b, err := os.ReadFile(attributeDoc)
	if err != nil {
		t.Fatal(err)
	}
	d := doc{rows: map[string][]string{}, events: map[string]bool{}}
	var header string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "|") {
			header = ""
			continue
		}
		cells := strings.Split(line, "|")
		if header == "" {
			header = strings.TrimSpace(cells[1])
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		for _, m := range backticked.FindAllStringSubmatch(cells[1], -1) {
			switch header {
			case "Attribute":
				if !strings.Contains(m[1], "*") {
					d.rows[m[1]] = append(d.rows[m[1]], line)
				}
			case "Event name":
				d.events[m[1]] = true
			}
		}
	}
	if len(d.rows) == 0 || len(d.events) == 0 {
		t.Fatal("found no attribute or event-name tables in " + attributeDoc)
	}
	return d
}

func TestAttributeDocMatchesCode(t *testing.T) {
	c, d := parseCode(t), parseDoc(t)
	for _, lit := range c.bare {
		t.Errorf("attribute key %s is written as a literal: declare it as an Attr constant so it is documented and checked", lit)
	}
	declared := map[string]bool{}
	for name, key := range c.keys {
		switch {
		case c.uses[name] > 0:
			declared[key] = true
		case c.inMetr[name] > 0 || slices.Contains(resourceKeys, key):
			// A metric attribute, or a resource attribute (below).
		default:
			t.Errorf("%s (%s) is declared but never used: remove it", name, key)
		}
	}
	for _, key := range resourceKeys {
		declared[key] = true
	}
	for _, key := range sortedKeys(declared) {
		if _, ok := d.rows[key]; !ok {
			t.Errorf("%s is emitted but not documented in %s", key, attributeDoc)
		}
	}
	for _, key := range sortedKeys(d.rows) {
		if !declared[key] {
			t.Errorf("%s documents %s, which the code never emits", attributeDoc, key)
		}
	}
	for key, values := range c.values {
		for v := range values {
			if !documentsValue(d.rows[key], v) {
				t.Errorf("%s: value %q is emitted but not on its row in %s", key, v, attributeDoc)
			}
		}
	}
}

func TestAttributeDocListsEveryEnumValue(t *testing.T) {
	d := parseDoc(t)
	enums := map[string][]string{}
	for c := heroku.ComponentUnknown + 1; c.String() != ""; c++ {
		enums[AttrComponent] = append(enums[AttrComponent], c.String())
	}
	for o := heroku.LaunchNone + 1; o.String() != ""; o++ {
		enums[AttrLaunch] = append(enums[AttrLaunch], o.String())
	}
	for s := range dynoSignals {
		enums[AttrSignal] = append(enums[AttrSignal], s)
	}
	for key, values := range enums {
		for _, v := range values {
			if !documentsValue(d.rows[key], v) {
				t.Errorf("%s: value %q is not on its row in %s", key, v, attributeDoc)
			}
		}
	}
}

func TestEventNameDocMatchesCode(t *testing.T) {
	d := parseDoc(t)
	// Index 0 of both tables is the unknown kind, which is never emitted.
	emitted := map[string]bool{eventLogplexError: true}
	for _, n := range append(slices.Clone(dynoEventNames[1:]), apiEventNames[1:]...) {
		emitted[n] = true
	}
	for _, n := range sortedKeys(emitted) {
		if !d.events[n] {
			t.Errorf("event name %s is emitted but not in the event-name table of %s", n, attributeDoc)
		}
	}
	for _, n := range sortedKeys(d.events) {
		if !emitted[n] {
			t.Errorf("%s lists event name %s, which the code never emits", attributeDoc, n)
		}
	}
}

// documentsValue reports whether one of rows shows v in backticks.
func documentsValue(rows []string, v string) bool {
	for _, r := range rows {
		if strings.Contains(r, "`"+v+"`") {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
