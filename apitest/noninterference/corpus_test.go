package noninterference

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"wisselaar/graph/scalar"
	"wisselaar/internal/testutil"
)

// This file generates the query corpus of TestNonInterference from the
// schema, as a client sees it through introspection, and batches it into
// requests within the server's limits.

// gqlSchema is the introspected schema.
type gqlSchema struct {
	types map[string]*gqlType
	query string
}

type gqlType struct {
	Kind        string
	Name        string
	Fields      []gqlField
	InputFields []gqlInput
	EnumValues  []struct{ Name string }
	Interfaces  []struct{ Name string }
}

type gqlField struct {
	Name string
	Args []gqlInput
	Type typeRef
}

type gqlInput struct {
	Name         string
	Type         typeRef
	DefaultValue *string
}

type typeRef struct {
	Kind   string
	Name   *string
	OfType *typeRef
}

// named returns the innermost type name.
func (r typeRef) named() string {
	for r.Name == nil && r.OfType != nil {
		r = *r.OfType
	}
	if r.Name == nil {
		return ""
	}
	return *r.Name
}

// String returns the type in GraphQL syntax, such as "[ID!]!".
func (r typeRef) String() string {
	switch r.Kind {
	case "NON_NULL":
		return r.OfType.String() + "!"
	case "LIST":
		return "[" + r.OfType.String() + "]"
	}
	return *r.Name
}

func (r typeRef) required() bool { return r.Kind == "NON_NULL" }

// list reports whether the type is a list (nullable or not).
func (r typeRef) list() bool {
	if r.Kind == "NON_NULL" {
		return r.OfType.list()
	}
	return r.Kind == "LIST"
}

const typeRefFields = `kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

// introspect reads the schema as any client would.
func introspect(t *testing.T, s *testutil.Server) *gqlSchema {
	t.Helper()
	var out struct {
		Schema struct {
			QueryType struct{ Name string }
			Types     []*gqlType
		} `json:"__schema"`
	}
	s.Query(t, "", `{ __schema { queryType { name } types { kind name
		fields { name args { name defaultValue type { `+typeRefFields+` } } type { `+typeRefFields+` } }
		inputFields { name defaultValue type { `+typeRefFields+` } }
		enumValues { name } interfaces { name } } } }`, nil).Decode(t, &out)
	g := &gqlSchema{types: map[string]*gqlType{}, query: out.Schema.QueryType.Name}
	for _, typ := range out.Schema.Types {
		g.types[typ.Name] = typ
	}
	return g
}

func (g *gqlSchema) field(typ, name string) *gqlField {
	t := g.types[typ]
	if t == nil {
		return nil
	}
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return &t.Fields[i]
		}
	}
	return nil
}

func (f *gqlField) arg(name string) *gqlInput {
	for i := range f.Args {
		if f.Args[i].Name == name {
			return &f.Args[i]
		}
	}
	return nil
}

// connection returns the node type of a Relay connection type, or "".
func (g *gqlSchema) connection(typ string) string {
	if g.field(typ, "pageInfo") == nil {
		return ""
	}
	edges := g.field(typ, "edges")
	if edges == nil {
		return ""
	}
	node := g.field(edges.Type.named(), "node")
	if node == nil {
		return ""
	}
	return node.Type.named()
}

func (g *gqlSchema) isNode(typ string) bool {
	t := g.types[typ]
	return t != nil && slices.ContainsFunc(t.Interfaces, func(i struct{ Name string }) bool { return i.Name == "Node" })
}

func requiredArgs(f gqlField) bool {
	return slices.ContainsFunc(f.Args, func(a gqlInput) bool { return a.Type.required() && a.DefaultValue == nil })
}

// selection selects every field of typ that needs no argument: scalars,
// enums, objects that are values (their fields too), related nodes (their
// own selection, depth levels down; their ID at depth 0) and connections
// (their totalCount, and their nodes depth levels down).
func (g *gqlSchema) selection(typ string, depth int) string {
	t := g.types[typ]
	parts := []string{"__typename"}
	for _, f := range t.Fields {
		if requiredArgs(f) || strings.HasPrefix(f.Name, "__") {
			continue
		}
		n := f.Type.named()
		switch nt := g.types[n]; {
		case nt.Kind == "SCALAR" || nt.Kind == "ENUM":
			parts = append(parts, f.Name)
		case nt.Kind != "OBJECT":
		case g.connection(n) != "":
			page := f.Name + "(first: 10) { totalCount"
			if depth > 0 {
				page += " pageInfo { hasNextPage } edges { cursor node { " + g.selection(g.connection(n), depth-1) + " } }"
			}
			parts = append(parts, page+" }")
		case g.isNode(n) && depth == 0:
			parts = append(parts, f.Name+" { __typename id }")
		case g.isNode(n):
			parts = append(parts, f.Name+" { "+g.selection(n, depth-1)+" }")
		default:
			parts = append(parts, f.Name+" { "+g.selection(n, depth)+" }")
		}
	}
	return strings.Join(parts, " ")
}

// probe is one query of the corpus: one aliased root field. Its selection
// refers to its variables as ${0}, ${1}, …, renamed when it is batched, and
// may spread fragments of the schema's types (F0_Type, F1_Type: the type's
// selection at depth 0 or 1).
type probe struct {
	what  string
	sel   string
	types []string // the variables' GraphQL types
	vals  []any
	frags []string
}

// corpus knows the schema and what differs between the two databases.
type corpus struct {
	s     *gqlSchema
	ids   map[string][]string         // GraphQL type → IDs in A or B
	diff  map[string]map[string][]any // type → field → values that differ
	words []string                    // words of text that differs
}

// contents is what the ministry, which reads everything, reads in one
// database: every node by type, and how often each value occurs in each
// field of each type.
type contents struct {
	ids    map[string][]string // GraphQL type → IDs
	counts map[string]int      // "type\x00field\x00value" → occurrences
	values map[string]any
}

// readAll reads every node of s's database as the ministry.
func readAll(t *testing.T, schema *gqlSchema, s *testutil.Server) *contents {
	t.Helper()
	c := &contents{ids: typedIDs(t, s), counts: map[string]int{}, values: map[string]any{}}
	for typ, ids := range c.ids {
		for _, bt := range batches(schema, nodeProbes(typ, ids)) {
			r := s.Query(t, "ministry", bt.text, bt.vars)
			if len(r.Errors) > 0 {
				t.Fatalf("the ministry could not read %s: %+v", typ, r.Errors)
			}
			var data any
			if err := json.Unmarshal(r.Data, &data); err != nil {
				t.Fatal(err)
			}
			walkObjects(data, func(typ, field string, v any) {
				k := typ + "\x00" + field + "\x00" + mustJSON(v)
				c.values[k] = v
				c.counts[k]++
			})
		}
	}
	return c
}

// newCorpus notes every value whose count differs between a and b.
func newCorpus(t *testing.T, s *gqlSchema, a, b *contents) *corpus {
	t.Helper()
	c := &corpus{s: s, ids: map[string][]string{}, diff: map[string]map[string][]any{}}
	for _, side := range []*contents{a, b} {
		for typ, ids := range side.ids {
			for _, id := range ids {
				if !slices.Contains(c.ids[typ], id) {
					c.ids[typ] = append(c.ids[typ], id)
				}
			}
		}
	}
	keys := map[string]bool{}
	for k := range a.counts {
		keys[k] = true
	}
	for k := range b.counts {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		if a.counts[k] != b.counts[k] {
			sorted = append(sorted, k)
		}
	}
	sort.Strings(sorted)
	words := map[string]bool{}
	for _, k := range sorted {
		v, ok := a.values[k]
		if !ok {
			v = b.values[k]
		}
		parts := strings.SplitN(k, "\x00", 3)
		if c.diff[parts[0]] == nil {
			c.diff[parts[0]] = map[string][]any{}
		}
		c.diff[parts[0]][parts[1]] = append(c.diff[parts[0]][parts[1]], v)
		if str, ok := v.(string); ok {
			for _, w := range strings.FieldsFunc(str, func(r rune) bool { return !unicode.IsLetter(r) }) {
				if len(w) >= 5 {
					words[strings.ToLower(w)] = true
				}
			}
		}
	}
	for w := range words {
		c.words = append(c.words, w)
	}
	sort.Strings(c.words)
	if len(c.words) > 6 {
		c.words = c.words[:6]
	}
	return c
}

// walkObjects calls fn for every scalar field of every object that names
// its __typename, at any depth.
func walkObjects(v any, fn func(typ, field string, v any)) {
	switch x := v.(type) {
	case map[string]any:
		typ, _ := x["__typename"].(string)
		for k, val := range x {
			switch val.(type) {
			case map[string]any, []any:
				walkObjects(val, fn)
			default:
				if typ != "" && k != "__typename" {
					fn(typ, k, val)
				}
			}
		}
	case []any:
		for _, e := range x {
			walkObjects(e, fn)
		}
	}
}

// ownerOnly are the tables whose rows only their owner reads (a
// webhook's client), with their GraphQL types.
var ownerOnly = map[string]string{"webhooks": "Webhook", "webhook_deliveries": "WebhookDelivery"}

// typedIDs returns every ID in a database, by GraphQL type: the rows of
// every table, and their types as the ministry's nodes query names them.
func typedIDs(t *testing.T, s *testutil.Server) map[string][]string {
	t.Helper()
	rows, err := s.DB.SQL.Query(`SELECT table_name FROM information_schema.columns
		WHERE table_schema = 'public' AND column_name = 'id' AND table_name NOT IN ('sessions', 'ent_types') ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var ids []string
	out := map[string][]string{}
	for _, table := range tables {
		r, err := s.DB.SQL.Query(`SELECT id FROM ` + table + ` ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var id int
			if err := r.Scan(&id); err != nil {
				t.Fatal(err)
			}
			// Rows only their owner reads, not even the ministry: typed by
			// their table, probed through node(id) by every observer.
			if typ, ok := ownerOnly[table]; ok {
				out[typ] = append(out[typ], scalar.EncodeID(id))
			}
		}
		r.Close()
		if _, ok := ownerOnly[table]; ok {
			continue
		}
		r, err = s.DB.SQL.Query(`SELECT id FROM ` + table + ` ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var id int
			if err := r.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, scalar.EncodeID(id))
		}
		r.Close()
	}
	for chunk := range slices.Chunk(ids, 100) {
		var data struct {
			Nodes []*struct {
				Typename string `json:"__typename"`
			}
		}
		s.Query(t, "ministry", `query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }`, map[string]any{"ids": chunk}).Decode(t, &data)
		for i, n := range data.Nodes {
			if n != nil {
				out[n.Typename] = append(out[n.Typename], chunk[i])
			}
		}
	}
	return out
}

// nodeProbes reads each node with its type's selection: its fields, the
// IDs of the nodes it points to and the counts of its connections. Every
// node is read this way, so one level is enough: what an edge shows of
// another node, that node's own reading shows.
func nodeProbes(typ string, ids []string) []probe {
	var out []probe
	for _, id := range ids {
		out = append(out, probe{
			what:  fmt.Sprintf("node %s (%s)", id, typ),
			sel:   "node(id: ${0}) { ...F0_" + typ + " }",
			types: []string{"ID!"}, vals: []any{id},
			frags: []string{"F0_" + typ},
		})
	}
	return out
}

func (c *corpus) differing() int {
	n := 0
	for _, fields := range c.diff {
		for _, vs := range fields {
			n += len(vs)
		}
	}
	return n
}

// queries generates the corpus.
func (c *corpus) queries() []probe {
	var out []probe
	// Every node of either database, read with its edges.
	types := make([]string, 0, len(c.ids))
	for typ := range c.ids {
		types = append(types, typ)
	}
	sort.Strings(types)
	var all []string
	for _, typ := range types {
		out = append(out, nodeProbes(typ, c.ids[typ])...)
		all = append(all, c.ids[typ]...)
	}
	for chunk := range slices.Chunk(all, 25) {
		out = append(out, probe{what: "nodes", sel: "nodes(ids: ${0}) { __typename id }", types: []string{"[ID!]!"}, vals: []any{chunk}})
	}
	for _, f := range c.s.types[c.s.query].Fields {
		if strings.HasPrefix(f.Name, "__") || f.Name == "node" || f.Name == "nodes" {
			continue
		}
		if node := c.s.connection(f.Type.named()); node != "" {
			out = append(out, c.connectionProbes(f, node)...)
			continue
		}
		out = append(out, c.fieldProbes(f)...)
	}
	return out
}

// connectionProbes asks a root connection for its page, in every order,
// with every filter, and the same of the connections on its nodes.
func (c *corpus) connectionProbes(f gqlField, node string) []probe {
	page := "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ...F0_" + node + " } }"
	out := []probe{{what: f.Name, sel: f.Name + "(first: 100) { " + page + " }", frags: []string{"F0_" + node}}}
	// The rows a filter or an order gives, by ID (a page of 100 holds
	// every row of the scenario's lists, so the IDs say the count too).
	for _, p := range c.argProbes(f, 2, true) {
		p.sel = f.Name + "(first: 100, " + p.sel + ") { edges { cursor node { id } } }"
		out = append(out, p)
	}
	// The connections on the nodes: filtered and ordered one edge down.
	for _, e := range c.s.types[node].Fields {
		inner := c.s.connection(e.Type.named())
		if inner == "" {
			continue
		}
		for _, p := range c.argProbes(e, 1, false) {
			p.what = f.Name + "." + p.what
			p.sel = f.Name + "(first: 50) { edges { node { id " + e.Name + "(first: 20, " + p.sel + ") { edges { node { id } } } } } }"
			out = append(out, p)
		}
	}
	return out
}

// argProbes returns argument lists for a connection field f (without first,
// last, after, before): every order, every filter (through edges up to
// depth; the connection's own fields only at the top, since rows of a
// connection one edge down are those of a root list too), and text
// arguments with words of the hidden data. Each probe's sel holds the
// arguments only.
func (c *corpus) argProbes(f gqlField, depth int, top bool) []probe {
	var out []probe
	for _, a := range f.Args {
		switch a.Name {
		case "first", "last", "after", "before":
			continue
		}
		typ := c.s.types[a.Type.named()]
		switch {
		case a.Name == "orderBy" && typ.Kind == "INPUT_OBJECT":
			field := c.s.types[inputField(typ, "field").Type.named()]
			for _, v := range field.EnumValues {
				for _, dir := range []string{"ASC", "DESC"} {
					order := map[string]any{"field": v.Name, "direction": dir}
					var val any = order
					if a.Type.list() {
						val = []any{order}
					}
					out = append(out, probe{what: fmt.Sprintf("%s ordered by %s %s", f.Name, v.Name, dir),
						sel: a.Name + ": ${0}", types: []string{a.Type.String()}, vals: []any{val}})
				}
			}
		case strings.HasSuffix(typ.Name, "WhereInput"):
			for _, w := range c.whereProbesAt(typ, depth, top) {
				out = append(out, probe{what: fmt.Sprintf("%s where %s", f.Name, mustJSON(w)),
					sel: a.Name + ": ${0}", types: []string{a.Type.String()}, vals: []any{w}})
			}
		case typ.Name == "String":
			for _, w := range c.words {
				out = append(out, probe{what: fmt.Sprintf("%s %s %q", f.Name, a.Name, w),
					sel: a.Name + ": ${0}", types: []string{a.Type.String()}, vals: []any{w}})
			}
		}
	}
	return out
}

// fieldProbes asks a root field that is not a connection with every value
// of each argument in turn, the others at their first value.
func (c *corpus) fieldProbes(f gqlField) []probe {
	sel := "{ " + c.s.selection(f.Type.named(), 0) + " }"
	if t := c.s.types[f.Type.named()]; t.Kind == "SCALAR" || t.Kind == "ENUM" {
		sel = ""
	}
	candidates := make([][]any, len(f.Args))
	for i, a := range f.Args {
		candidates[i] = c.argValues(a)
	}
	build := func(pick []int) probe {
		p := probe{what: f.Name}
		var args []string
		for i, a := range f.Args {
			if pick[i] < 0 {
				continue
			}
			args = append(args, fmt.Sprintf("%s: ${%d}", a.Name, len(p.types)))
			p.types = append(p.types, a.Type.String())
			p.vals = append(p.vals, candidates[i][pick[i]])
			p.what += fmt.Sprintf(" %s=%s", a.Name, mustJSON(candidates[i][pick[i]]))
		}
		p.sel = f.Name
		if len(args) > 0 {
			p.sel += "(" + strings.Join(args, ", ") + ")"
		}
		p.sel += " " + sel
		return p
	}
	base := make([]int, len(f.Args))
	for i, a := range f.Args {
		switch {
		case len(candidates[i]) == 0 && a.Type.required():
			return nil // an argument the corpus cannot fill
		case len(candidates[i]) == 0 || !a.Type.required():
			base[i] = -1
		}
	}
	out := []probe{build(base)}
	for i := range f.Args {
		for j := range candidates[i] {
			if j == base[i] {
				continue
			}
			pick := slices.Clone(base)
			pick[i] = j
			out = append(out, build(pick))
		}
	}
	return out
}

// argValues returns the values the corpus tries for an argument.
func (c *corpus) argValues(a gqlInput) []any {
	typ := c.s.types[a.Type.named()]
	var one []any
	switch {
	case typ.Kind == "ENUM":
		for _, v := range typ.EnumValues {
			one = append(one, v.Name)
		}
	case strings.HasSuffix(typ.Name, "WhereInput"):
		// One edge down: the root lists try the same filters two down.
		for _, w := range c.whereProbes(typ, 1) {
			one = append(one, w)
		}
	case typ.Name == "ID":
		for _, fields := range c.diff {
			for _, v := range fields["id"] {
				one = append(one, v)
			}
		}
	case typ.Name == "Int" && (a.Name == "first" || a.Name == "last"):
		one = []any{1, 10}
	case typ.Name == "Int":
		one = []any{2022, 2023, 2026}
	case typ.Name == "String":
		for _, w := range c.words {
			one = append(one, w)
		}
	case typ.Name == "Boolean":
		one = []any{true, false}
	}
	if !a.Type.list() || len(one) == 0 {
		return one
	}
	out := []any{one} // all values at once, then each alone
	for _, v := range one {
		out = append(out, []any{v})
	}
	return out
}

func inputField(t *gqlType, name string) *gqlInput {
	for i := range t.InputFields {
		if t.InputFields[i].Name == name {
			return &t.InputFields[i]
		}
	}
	return nil
}

// operators are the suffixes entgql gives a field's predicates in a
// where-input, longest first.
var operators = []string{"ContainsFold", "EqualFold", "HasPrefix", "HasSuffix", "Contains", "NotNil", "IsNil", "NotIn", "GTE", "LTE", "NEQ", "GT", "LT", "In"}

// whereProbes returns filters for a where-input: each field predicate with
// the values that differ between the databases, and each edge predicate
// with the filters of its type, up to depth edges down. Behind an edge,
// where what matters is whether the edge's subquery reaches hidden rows,
// each field is compared once, with its plainest operator.
func (c *corpus) whereProbes(w *gqlType, depth int) []map[string]any {
	return c.whereProbesAt(w, depth, true)
}

func (c *corpus) whereProbesAt(w *gqlType, depth int, top bool) []map[string]any {
	typ := strings.TrimSuffix(w.Name, "WhereInput")
	var out []map[string]any
	compared := map[string]bool{}
	for _, f := range w.InputFields {
		named := f.Type.named()
		switch {
		case f.Name == "not" || f.Name == "or" || f.Name == "and":
		case strings.HasSuffix(named, "WhereInput"):
			if depth == 0 {
				continue
			}
			out = append(out, map[string]any{f.Name: []any{map[string]any{}}})
			for _, sub := range c.whereProbesAt(c.s.types[named], depth-1, false) {
				out = append(out, map[string]any{f.Name: []any{sub}})
			}
		case named == "Boolean" && strings.HasPrefix(f.Name, "has"):
			out = append(out, map[string]any{f.Name: true}, map[string]any{f.Name: false})
		default:
			field, op := c.split(typ, f.Name)
			if !top && (compared[field] || op != "EQ" && c.s.field(typ, field) != nil && inputField(w, field) != nil) {
				continue
			}
			for _, v := range c.values(typ, field, op) {
				out = append(out, map[string]any{f.Name: v})
				compared[field] = true
			}
		}
	}
	return out
}

// split returns the object field and the operator of a where-input field.
func (c *corpus) split(typ, name string) (string, string) {
	for _, op := range operators {
		if base, ok := strings.CutSuffix(name, op); ok && c.s.field(typ, base) != nil {
			return base, op
		}
	}
	return name, "EQ"
}

// values returns what to compare a field with: values that differ between
// the databases (at most two: one more frequent in each), shaped for the
// operator.
func (c *corpus) values(typ, field, op string) []any {
	if op == "IsNil" || op == "NotNil" {
		return []any{true}
	}
	vs := c.diff[typ][field]
	if len(vs) > 2 {
		vs = []any{vs[0], vs[len(vs)-1]}
	}
	var out []any
	for _, v := range vs {
		if v == nil {
			continue
		}
		s, isString := v.(string)
		switch op {
		case "In", "NotIn":
			out = append(out, []any{v})
		case "Contains", "ContainsFold", "HasPrefix", "HasSuffix":
			if !isString || s == "" {
				continue
			}
			r := []rune(s)
			switch op {
			case "HasPrefix":
				r = r[:min(len(r), 4)]
			case "HasSuffix":
				r = r[max(0, len(r)-4):]
			default:
				r = r[len(r)/3 : max(len(r)/3+1, 2*len(r)/3)]
			}
			out = append(out, string(r))
		default:
			out = append(out, v)
		}
	}
	return out
}

// batch is one request of the corpus.
type batch struct {
	text   string
	vars   map[string]any
	probes []probe
}

// Limits of one batch, below the server's limits on aliases and tokens.
const (
	batchAliases = 15
	batchTokens  = 900
)

// batches packs probes into requests: at most batchAliases probes, about
// batchTokens tokens, each fragment once.
func batches(s *gqlSchema, probes []probe) []batch {
	var out []batch
	var cur []probe
	tokens := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, assemble(s, cur))
			cur, tokens = nil, 0
		}
	}
	for _, p := range probes {
		n := countTokens(p.sel) + 6*len(p.types)
		for _, f := range p.frags {
			if !slices.ContainsFunc(cur, func(q probe) bool { return slices.Contains(q.frags, f) }) {
				n += countTokens(fragment(s, f))
			}
		}
		if len(cur) == batchAliases || (len(cur) > 0 && tokens+n > batchTokens) {
			flush()
			n = countTokens(p.sel) + 6*len(p.types)
			for _, f := range p.frags {
				n += countTokens(fragment(s, f))
			}
		}
		cur = append(cur, p)
		tokens += n
	}
	flush()
	return out
}

func assemble(s *gqlSchema, probes []probe) batch {
	b := batch{vars: map[string]any{}, probes: probes}
	var decls, fields, frags []string
	for i, p := range probes {
		sel := p.sel
		for j, typ := range p.types {
			name := fmt.Sprintf("p%d_%d", i, j)
			sel = strings.ReplaceAll(sel, fmt.Sprintf("${%d}", j), "$"+name)
			decls = append(decls, "$"+name+": "+typ)
			b.vars[name] = p.vals[j]
		}
		fields = append(fields, fmt.Sprintf("p%d: %s", i, sel))
		for _, f := range p.frags {
			if !slices.Contains(frags, f) {
				frags = append(frags, f)
			}
		}
	}
	b.text = "query"
	if len(decls) > 0 {
		b.text += "(" + strings.Join(decls, ", ") + ")"
	}
	b.text += " { " + strings.Join(fields, " ") + " }"
	for _, f := range frags {
		b.text += " " + fragment(s, f)
	}
	return b
}

// fragment returns the definition of a fragment named F<depth>_<Type>.
func fragment(s *gqlSchema, name string) string {
	depth, typ, _ := strings.Cut(strings.TrimPrefix(name, "F"), "_")
	d, _ := strconv.Atoi(depth)
	return "fragment " + name + " on " + typ + " { " + s.selection(typ, d) + " }"
}

// countTokens over-estimates the lexer's token count of a document.
func countTokens(s string) int {
	for _, p := range []string{"{", "}", "(", ")", ":", "[", "]", "!", "$", "@", "..."} {
		s = strings.ReplaceAll(s, p, " "+p+" ")
	}
	return len(strings.Fields(s))
}
