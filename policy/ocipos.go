package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// Positions in a JSON profile. The document is walked once for the
// offsets of its top-level values and of its syscalls[] entries; an entry's
// own values are indexed when that entry is converted, in a compact form,
// so that a 10 MB profile costs memory near its size.

// jsonStep is one step of a path: a key, or an index (key "" and idx >= 0).
type jsonStep struct {
	key string
	idx int
}

// pathString spells a path as the messages do: linux.seccomp.syscalls[3].op.
func pathString(path []jsonStep) string {
	var b strings.Builder
	for _, s := range path {
		if s.idx >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

// skipValue decodes any JSON value into nothing.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

// jsonWalk calls f with the path and offset (in data, plus base) of every
// value of the JSON document data, which must be valid (encoding/json has
// decoded it before, so its nesting is at most maxJSONDepth); when f
// returns false the value's contents are not walked. It scans the bytes
// itself: encoding/json's Decoder.Token costs several allocations a token.
func jsonWalk(data []byte, base int, f func(path []jsonStep, off int) bool) {
	w := &jsonWalker{data: data, base: base, f: f}
	w.value()
}

type jsonWalker struct {
	data []byte
	i    int
	base int
	path []jsonStep
	f    func(path []jsonStep, off int) bool
	// dup, when set, is called for a key an object already has (compared
	// as Go's decoding compares them, without regard to case), with the
	// path of the value and the offset of the second key.
	dup func(path []jsonStep, off int)
}

func (w *jsonWalker) space() {
	for w.i < len(w.data) {
		switch w.data[w.i] {
		case ' ', '\t', '\r', '\n':
			w.i++
		default:
			return
		}
	}
}

// str skips a string at w.i and returns its contents (unquoted), for a
// key: the walker's callers copy what they keep.
func (w *jsonWalker) str() string {
	start := w.i
	w.i++
	escaped := false
	for w.i < len(w.data) {
		switch w.data[w.i] {
		case '\\':
			escaped = true
			w.i += 2
			continue
		case '"':
			w.i++
			raw := w.data[start:w.i]
			if !escaped {
				return unsafe.String(unsafe.SliceData(raw[1:]), len(raw)-2)
			}
			var s string
			json.Unmarshal(raw, &s)
			return s
		}
		w.i++
	}
	return ""
}

func (w *jsonWalker) value() {
	w.space()
	if w.i >= len(w.data) {
		return
	}
	descend := w.f(w.path, w.base+w.i) && len(w.path) < maxJSONDepth
	switch c := w.data[w.i]; {
	case c == '"':
		w.skip()
	case c == '{':
		w.i++
		var keys []string        // this object's, for dup
		var many map[string]bool // the same, lower-cased, once there are many
		for {
			w.space()
			if w.i >= len(w.data) || w.data[w.i] == '}' {
				w.i++
				return
			}
			if w.data[w.i] == ',' {
				w.i++
				continue
			}
			keyOff := w.base + w.i
			key := w.str()
			w.space()
			w.i++ // :
			if w.dup != nil && descend {
				lk := strings.ToLower(key)
				switch {
				case many != nil && many[lk], many == nil && slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, key) }):
					w.dup(append(w.path, jsonStep{key: key, idx: -1}), keyOff)
				case many != nil:
					many[lk] = true
				case len(keys) < 16:
					keys = append(keys, strings.Clone(key))
				default:
					many = map[string]bool{lk: true}
					for _, k := range keys {
						many[strings.ToLower(k)] = true
					}
				}
			}
			if descend {
				w.path = append(w.path, jsonStep{key: key, idx: -1})
				w.value()
				w.path = w.path[:len(w.path)-1]
			} else {
				w.skip()
			}
		}
	case c == '[':
		w.i++
		for n := 0; ; {
			w.space()
			if w.i >= len(w.data) || w.data[w.i] == ']' {
				w.i++
				return
			}
			if w.data[w.i] == ',' {
				w.i++
				continue
			}
			if descend {
				w.path = append(w.path, jsonStep{idx: n})
				w.value()
				w.path = w.path[:len(w.path)-1]
			} else {
				w.skip()
			}
			n++
		}
	default: // number, true, false, null
		for w.i < len(w.data) && !strings.ContainsRune(",]} \t\r\n", rune(w.data[w.i])) {
			w.i++
		}
	}
}

// dupKeys calls f with the path and offset of every key of data (valid
// JSON) that its object already has: encoding/json keeps the last value,
// so a profile that says "defaultAction" twice means its last line, which
// a reader may not see.
func dupKeys(data []byte, f func(path []jsonStep, off int)) {
	w := &jsonWalker{data: data, f: func([]jsonStep, int) bool { return true }, dup: f}
	w.value()
}

// jsonValueEnd returns the offset just past the value that starts at off.
func jsonValueEnd(data []byte, off int) int {
	w := &jsonWalker{data: data, i: off}
	w.skip()
	return w.i
}

// skip passes over a value without reporting it.
func (w *jsonWalker) skip() {
	w.space()
	depth := 0
	for w.i < len(w.data) {
		switch w.data[w.i] {
		case '"':
			w.i++
			for w.i < len(w.data) && w.data[w.i] != '"' {
				if w.data[w.i] == '\\' {
					w.i++
				}
				w.i++
			}
			w.i++
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return // the end of the enclosing value
			}
			depth--
			if depth == 0 {
				w.i++
				return
			}
		case ',', ' ', '\t', '\r', '\n', ':':
			if depth == 0 {
				return
			}
		}
		w.i++
	}
}

// maxJSONDepth is encoding/json's nesting limit (its scanner refuses
// deeper documents before anything is walked).
const maxJSONDepth = 10000

// lineTable finds the line and column of an offset without scanning the
// whole document for each: it keeps, every lineStep bytes, the line
// number and where that line starts.
type lineTable struct {
	data   []byte
	line   []int32 // line number at offset i*lineStep
	starts []int32 // offset of the start of that line
}

const lineStep = 1024

func newLineTable(data []byte) *lineTable {
	t := &lineTable{data: data}
	line, start := 1, 0
	for i := 0; i <= len(data); i += lineStep {
		t.line = append(t.line, int32(line))
		t.starts = append(t.starts, int32(start))
		end := min(i+lineStep, len(data))
		chunk := data[i:end]
		if n := bytes.Count(chunk, []byte("\n")); n > 0 {
			line += n
			start = i + bytes.LastIndexByte(chunk, '\n') + 1
		}
	}
	return t
}

// at returns the 1-based line and column of offset off.
func (t *lineTable) at(off int) (int, int) {
	off = max(0, min(off, len(t.data)))
	cp := off / lineStep
	chunk := t.data[cp*lineStep : off]
	line := int(t.line[cp]) + bytes.Count(chunk, []byte("\n"))
	start := int(t.starts[cp])
	if i := bytes.LastIndexByte(chunk, '\n'); i >= 0 {
		start = cp*lineStep + i + 1
	}
	return line, off - start + 1
}

// Fields each object of a profile may have. A field not listed is
// reported, every one at its position: a typo such as "errnoret" would
// otherwise silently change the filter.
var (
	// Docker's and the runtime spec's linux.seccomp, Docker's and
	// Podman's comment, Podman's defaultErrno.
	ociTopFields = []string{"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures", "archMap",
		"syscalls", "flags", "listenerPath", "listenerMetadata", "comment"}
	ociArchMapFields = []string{"architecture", "subArchitectures"}
	// Docker's (name, comment, includes, excludes), the spec's and
	// Podman's (errno).
	ociEntryFields  = []string{"names", "name", "action", "errnoRet", "errno", "args", "comment", "includes", "excludes"}
	ociArgFields    = []string{"index", "value", "valueTwo", "op"}
	ociFilterFields = []string{"caps", "arches", "minKernel"}
	// Fields only Podman reads: runc ignores them in a config.json.
	podmanFields = []string{"defaultErrno", "errno"}
)

// entryIndex is where the values of one syscalls[] entry are.
type entryIndex struct {
	path   string     // "syscalls[3]", with the config.json prefix
	off    int        // of the entry
	fields []fieldOff // "action", "includes.minKernel", ...
	names  []int32    // names[j]
	args   [][5]int32 // args[k]: the object, index, value, valueTwo, op (-1: absent)
}

type fieldOff struct {
	name string
	off  int
}

func (ei *entryIndex) setField(name string, off int) {
	for i := range ei.fields {
		if ei.fields[i].name == name {
			ei.fields[i].off = off // the last one counts, as in Go's decoding
			return
		}
	}
	ei.fields = append(ei.fields, fieldOff{name, off})
}

var argFieldIndex = map[string]int{"index": 1, "value": 2, "valueTwo": 3, "op": 4}

// indexEntry walks entry i, whose bytes raw are at offset off of the
// document, noting where its values are and (if warn) warning about the
// fields no format defines.
func (c *ociConv) indexEntry(i, off int, raw []byte, warn bool) *entryIndex {
	ei := &entryIndex{path: c.prefix + "syscalls[" + strconv.Itoa(i) + "]", off: off}
	warnAt := func(o int, path, format string, a ...any) {
		if warn {
			c.warnAt(o, path, format, a...)
		}
	}
	jsonWalk(raw, off, func(path []jsonStep, o int) bool {
		switch {
		case len(path) == 0:
			return true
		case len(path) == 1:
			k, ok := c.field(ociEntryFields, path[0].key, ei.path, o, warnAt)
			if !ok {
				return false
			}
			ei.setField(k, o)
			return k == "names" || k == "args" || k == "includes" || k == "excludes"
		case path[0].key != "" && len(path) >= 2 && !slices.Contains(ociEntryFields, path[0].key):
			// A field spelt in another case: its canonical name.
			k, _ := c.canonical(ociEntryFields, path[0].key)
			return walkEntryField(ei, k, path, o, c, warnAt)
		}
		return walkEntryField(ei, path[0].key, path, o, c, warnAt)
	})
	return ei
}

// walkEntryField notes a value inside field k of an entry (names, args,
// includes, excludes).
func walkEntryField(ei *entryIndex, k string, path []jsonStep, o int, c *ociConv, warnAt func(int, string, string, ...any)) bool {
	switch {
	case k == "names" && len(path) == 2:
		ei.names = append(ei.names, int32(o))
	case k == "args" && len(path) == 2:
		ei.args = append(ei.args, [5]int32{int32(o), -1, -1, -1, -1})
		return true
	case k == "args" && len(path) == 3:
		f, ok := c.field(ociArgFields, path[2].key, ei.path+".args["+strconv.Itoa(path[1].idx)+"]", o, warnAt)
		if ok && len(ei.args) > 0 {
			ei.args[len(ei.args)-1][argFieldIndex[f]] = int32(o)
		}
	case (k == "includes" || k == "excludes") && len(path) == 2:
		if f, ok := c.field(ociFilterFields, path[1].key, ei.path+"."+k, o, warnAt); ok {
			ei.setField(k+"."+f, o)
		}
	}
	return false
}

// canonical returns the field of fields that key names: Go's JSON
// decoding, which Docker, Podman and runc use, matches keys without
// regard to case.
func (c *ociConv) canonical(fields []string, key string) (string, bool) {
	for _, f := range fields {
		if f == key {
			return f, c.knownField(fields, f)
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f, key) {
			return f, c.knownField(fields, f)
		}
	}
	return "", false
}

// field checks the key of a value at offset o inside the object at path:
// it returns the field's name, or warns that it is unknown.
func (c *ociConv) field(fields []string, key, path string, o int, warnAt func(int, string, string, ...any)) (string, bool) {
	f, ok := c.canonical(fields, key)
	if path != "" {
		path += "."
	}
	switch {
	case !ok:
		warnAt(o, path+key, "unknown field %s: ignored", quote(key))
	case f != key:
		warnAt(o, path+key, "field %s is read as %q: Go's JSON decoding, which Docker, Podman and runc use, ignores case", quote(key), f)
	}
	return f, ok
}

// knownField reports whether an entry or top-level field is known: in a
// config.json, Podman's fields are not (runc ignores them).
func (c *ociConv) knownField(fields []string, k string) bool {
	return slices.Contains(fields, k) && !(c.prefix != "" && slices.Contains(podmanFields, k))
}

// offset finds a path of the entry (relative to it: "names[2]",
// "args[0].op", "includes.minKernel"), or -1.
func (ei *entryIndex) offset(rel string) int {
	if rel == "" {
		return ei.off
	}
	var j int
	if _, err := fmt.Sscanf(rel, "names[%d]", &j); err == nil && strings.HasSuffix(rel, "]") {
		if j >= 0 && j < len(ei.names) {
			return int(ei.names[j])
		}
		return -1
	}
	if strings.HasPrefix(rel, "args[") {
		var field string
		head, tail, _ := strings.Cut(rel, "]")
		if _, err := fmt.Sscanf(head, "args[%d", &j); err == nil && j >= 0 && j < len(ei.args) {
			field = strings.TrimPrefix(tail, ".")
			if field == "" {
				return int(ei.args[j][0])
			}
			if f, ok := argFieldIndex[field]; ok {
				return int(ei.args[j][f])
			}
		}
		return -1
	}
	for _, f := range ei.fields {
		if f.name == rel {
			return f.off
		}
	}
	return -1
}

// lastBefore returns the path (relative) and offset of the last value of
// the entry that starts before off.
func (ei *entryIndex) lastBefore(off int) (string, int) {
	best, bestOff := "", ei.off
	try := func(p string, o int) {
		if o >= 0 && o < off && (o > bestOff || o == bestOff && len(p) > len(best)) {
			best, bestOff = p, o
		}
	}
	for _, f := range ei.fields {
		try(f.name, f.off)
	}
	for j, o := range ei.names {
		try(fmt.Sprintf("names[%d]", j), int(o))
	}
	for k, a := range ei.args {
		try(fmt.Sprintf("args[%d]", k), int(a[0]))
		for f, j := range argFieldIndex {
			try(fmt.Sprintf("args[%d].%s", k, f), int(a[j]))
		}
	}
	return best, bestOff
}

// indexTop walks the document for the offsets of the values outside
// syscalls[] and of its entries, and warns about the fields no profile
// format defines.
func (c *ociConv) indexTop() {
	c.index = map[string]int{}
	jsonWalk(c.data, 0, func(path []jsonStep, off int) bool {
		rel := path
		if c.prefix != "" {
			if len(path) < 2 || path[0].key != "linux" || path[1].key != "seccomp" {
				if len(path) <= 1 {
					c.index[pathString(path)] = off
				}
				return len(path) == 0 || len(path) == 1 && path[0].key == "linux"
			}
			rel = path[2:]
		}
		switch {
		case len(rel) == 0:
			c.index[pathString(path)] = off
			return true
		case len(rel) == 1:
			k, ok := c.field(ociTopFields, rel[0].key, strings.TrimSuffix(c.prefix, "."), off, c.warnAt)
			if !ok {
				return false
			}
			c.index[c.prefix+k] = off
			return k == "architectures" || k == "archMap" || k == "syscalls"
		case rel[0].key != "syscalls" && strings.EqualFold(rel[0].key, "syscalls") && len(rel) == 2,
			rel[0].key == "syscalls":
			c.entryOff = append(c.entryOff, off)
			c.entryEnd = append(c.entryEnd, jsonValueEnd(c.data, off))
			return false
		case rel[0].key == "archMap" && len(rel) == 2:
			c.index[pathString(path)] = off
			return true
		case rel[0].key == "archMap" && len(rel) == 3:
			if k, ok := c.field(ociArchMapFields, rel[2].key, pathString(path[:len(path)-1]), off, c.warnAt); ok {
				c.index[pathString(path[:len(path)-1])+"."+k] = off
			}
			return false
		case len(rel) == 2:
			c.index[pathString(path)] = off // architectures[i]
		}
		return false
	})
}
