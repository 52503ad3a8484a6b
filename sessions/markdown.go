package sessions

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"kurultai/sessions/msg"
)

// Kinds of Markdown document, named by the front matter's kind field.
const (
	KindSession  = "session"
	KindSpeech   = "speech"
	KindProposal = "proposal"
)

// The front-matter fields each kind of document accepts. Anything else is
// refused, so that a misspelt field never vanishes silently.
var allowedFields = map[string][]string{
	KindSession:  {"kind", "id", "body", "number", "date", "place", "title", "language", "provenance", "sources"},
	KindSpeech:   {"kind", "id", "session", "speaker", "order", "title", "language", "source_url", "provenance", "topic"},
	KindProposal: {"kind", "id", "session", "order", "title", "category", "status", "provenance", "timeline", "made_in"},
}

// speakerFields are the fields of a speaker, and nameFields those of each
// of its name's forms.
var (
	speakerFields = []string{"id", "name", "role", "family", "given", "forms", "party", "party_name", "side", "gender", "person"}
	nameFields    = []string{"family", "given"}
	personFields  = []string{"names", "sex", "birth", "birth_place", "links", "affiliations"}
)

// checkSpeakerNode refuses fields a speaker does not have, also in the
// forms of its name, so that a misspelt "familly" is not lost. It gives
// the line and the message, or "" when all is well.
func checkSpeakerNode(n *yaml.Node) (int, msg.Text) {
	if n.Kind != yaml.MappingNode {
		return n.Line, msg.Text{}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !contains(speakerFields, k.Value) {
			return k.Line, msg.T("unknown field %q for a speaker; expected one of: %s", k.Value, strings.Join(speakerFields, ", "))
		}
		if k.Value == "person" && v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				if f := v.Content[j]; !contains(personFields, f.Value) {
					return f.Line, msg.T("unknown field %q for a speaker's person; expected one of: %s", f.Value, strings.Join(personFields, ", "))
				}
			}
			continue
		}
		if k.Value != "forms" || v.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			lang, form := v.Content[j], v.Content[j+1]
			if form.Kind != yaml.MappingNode {
				return form.Line, msg.T("speaker name form %q: expected family: and given: beneath it", lang.Value)
			}
			for f := 0; f+1 < len(form.Content); f += 2 {
				if !contains(nameFields, form.Content[f].Value) {
					return form.Content[f].Line, msg.T("unknown field %q in the speaker's %s name form; expected family or given", form.Content[f].Value, lang.Value)
				}
			}
		}
	}
	return 0, msg.Text{}
}

// frontMatter is the union of the fields of every kind; allowedFields says
// which belong to which.
type frontMatter struct {
	Kind       string         `yaml:"kind"`
	ID         string         `yaml:"id"`
	Body       string         `yaml:"body"`
	Number     int            `yaml:"number"`
	Date       string         `yaml:"date"`
	Place      string         `yaml:"place"`
	Title      string         `yaml:"title"`
	Language   string         `yaml:"language"`
	Provenance string         `yaml:"provenance"`
	Sources    []Source       `yaml:"sources"`
	Session    string         `yaml:"session"`
	Speaker    Speaker        `yaml:"speaker"`
	Order      int            `yaml:"order"`
	SourceURL  string         `yaml:"source_url"`
	Topic      string         `yaml:"topic"`
	Category   string         `yaml:"category"`
	Status     string         `yaml:"status"`
	Timeline   []Event        `yaml:"timeline"`
	MadeIn     []ParagraphRef `yaml:"made_in"`
}

// Document is one decoded Markdown file: its front matter and its body.
type Document struct {
	File  string
	Kind  string
	front frontMatter
	body  string
	line  int // line of the kind field, for errors about the whole document
}

// ID is the document's id from its front matter.
func (d *Document) ID() string { return d.front.ID }

var yamlLine = regexp.MustCompile(`line (\d+)`)

// DecodeMarkdown reads one Markdown file with YAML front matter between
// "---" lines. Errors name the file and the line in it.
func DecodeMarkdown(name string, data []byte) (*Document, error) {
	fail := func(line int, format string, args ...any) (*Document, error) {
		return nil, &Error{File: name, Line: line, Msg: msg.T(format, args...)}
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidUTF8At(data)], []byte("\n"))
		return fail(line, "the file is not valid UTF-8 text")
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return fail(1, `expected front matter: the first line must be "---"`)
	}
	rest := text[4:]
	end := -1
	bodyStart := 0
	for off := 0; off <= len(rest); {
		nl := strings.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if nl >= 0 {
			line = rest[off : off+nl]
		}
		if line == "---" || line == "..." {
			end = off
			bodyStart = off + len(line)
			if nl >= 0 {
				bodyStart++
			}
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		return fail(1, `front matter is not closed: add a line "---" after it`)
	}
	yamlText := rest[:end]
	var node yaml.Node
	if err := yaml.Unmarshal([]byte(yamlText), &node); err != nil {
		line, msg := yamlError(err, 1)
		return fail(line, "front matter: %s", msg)
	}
	if len(node.Content) == 0 || node.Content[0].Kind != yaml.MappingNode {
		return fail(2, "front matter must be a set of fields such as \"kind: speech\"")
	}
	m := node.Content[0]
	doc := &Document{File: name, body: strings.TrimSpace(rest[bodyStart:])}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "kind" {
			doc.Kind = m.Content[i+1].Value
			doc.line = m.Content[i].Line + 1
		}
	}
	allowed, ok := allowedFields[doc.Kind]
	if !ok {
		line := doc.line
		if line == 0 {
			line = 2
		}
		return fail(line, "kind %q: expected kind: session, speech or proposal", doc.Kind)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if seen[k.Value] {
			return fail(k.Line+1, "field %q is given twice", k.Value)
		}
		seen[k.Value] = true
		if !contains(allowed, k.Value) {
			return fail(k.Line+1, "unknown field %q for a %v; expected one of: %s", k.Value, KindWord(doc.Kind), strings.Join(allowed[1:], ", "))
		}
		if k.Value == "speaker" {
			if line, why := checkSpeakerNode(m.Content[i+1]); !why.IsZero() {
				return fail(line+1, "%v", why)
			}
		}
	}
	if err := m.Decode(&doc.front); err != nil {
		line, msg := yamlError(err, 1)
		return fail(line, "front matter: %s", msg)
	}
	return doc, nil
}

func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}

// yamlError shifts the YAML parser's line numbers by the lines before the
// front matter and returns the first one with the message.
func yamlError(err error, offset int) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	first := 0
	msg = yamlLine.ReplaceAllStringFunc(msg, func(s string) string {
		n, _ := strconv.Atoi(s[5:])
		if first == 0 {
			first = n + offset
		}
		return "line " + strconv.Itoa(n+offset)
	})
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	return first, msg
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// DecodeMarkdownFS reads every .md file below root in fsys and assembles
// sessions from them: one session.md-style document per session, and speech
// and proposal documents that name their session (or sit in its folder).
// The first problem found stops the decoding; its error names the file.
func DecodeMarkdownFS(fsys fs.FS, root string) ([]Session, error) {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var docs []*Document
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		doc, err := DecodeMarkdown(f, data)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return Assemble(docs)
}

// Assemble builds sessions from decoded documents and validates them.
func Assemble(docs []*Document) ([]Session, error) {
	var (
		out      []Session
		index    = map[string]int{}
		byFolder = map[string]string{}
		origin   = map[string]string{}
	)
	for _, d := range docs {
		if d.Kind != KindSession {
			continue
		}
		f := d.front
		if prev, dup := origin[f.ID]; dup {
			return nil, &Error{File: d.File, Line: d.line, Msg: msg.T("session id %q is already used by %s", f.ID, prev)}
		}
		origin[f.ID] = d.File
		body := f.Body
		if body == "" {
			body = DefaultBody
		}
		index[f.ID] = len(out)
		byFolder[path.Dir(d.File)] = f.ID
		out = append(out, Session{
			ID: f.ID, Body: body, Number: f.Number, Date: f.Date, Place: f.Place,
			Title: f.Title, Summary: d.body, Language: f.Language,
			Provenance: f.Provenance, Sources: f.Sources,
		})
	}
	owner := map[string]*Document{}
	for _, d := range docs {
		if d.Kind == KindSession {
			continue
		}
		f := d.front
		sid := f.Session
		if sid == "" {
			sid = byFolder[path.Dir(d.File)]
		}
		i, ok := index[sid]
		if !ok {
			if sid == "" {
				return nil, &Error{File: d.File, Line: d.line, Msg: msg.T("no session: add a field \"session: ID\" or put the file in its session's folder")}
			}
			return nil, &Error{File: d.File, Line: d.line, Msg: msg.T("session %q is not defined by any session file", sid)}
		}
		if prev, clash := origin[f.ID]; clash {
			return nil, &Error{File: d.File, Line: d.line, Msg: msg.T("id %q is already used by the session in %s", f.ID, prev)}
		}
		if prev, dup := owner[f.ID]; dup && f.ID != "" {
			return nil, &Error{File: d.File, Line: d.line, Msg: msg.T("id %q is already used by %s", f.ID, prev.File)}
		}
		owner[f.ID] = d
		s := &out[i]
		switch d.Kind {
		case KindSpeech:
			lang := f.Language
			if lang == "" {
				lang = s.Language
			}
			prov := f.Provenance
			if prov == "" {
				prov = s.Provenance
			}
			s.Speeches = append(s.Speeches, Speech{
				ID: f.ID, SessionID: sid, Speaker: f.Speaker, Order: f.Order, Title: f.Title,
				Language: lang, SourceURL: f.SourceURL, Provenance: prov, Topic: f.Topic,
				Paragraphs: SplitParagraphs(d.body),
			})
		case KindProposal:
			prov := f.Provenance
			if prov == "" {
				prov = s.Provenance
			}
			s.Proposals = append(s.Proposals, Proposal{
				ID: f.ID, SessionID: sid, Order: f.Order, Title: f.Title, Text: d.body,
				Category: f.Category, Status: f.Status, Provenance: prov,
				Timeline: f.Timeline, MadeIn: f.MadeIn,
			})
		}
	}
	for i := range out {
		s := &out[i]
		sort.SliceStable(s.Speeches, func(a, b int) bool { return s.Speeches[a].Order < s.Speeches[b].Order })
		sort.SliceStable(s.Proposals, func(a, b int) bool { return s.Proposals[a].Order < s.Proposals[b].Order })
		if err := s.Validate(); err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.File, e.Line = fileFor(docs, s.ID, e.Msg.String())
				return nil, e
			}
			return nil, err
		}
	}
	return out, nil
}

// fileFor finds the file behind a validation message about a session: the
// document whose id the message names first (the longest id at that place).
func fileFor(docs []*Document, session, msg string) (string, int) {
	var best *Document
	bestAt := len(msg)
	for _, d := range docs {
		id := d.front.ID
		if id == "" {
			continue
		}
		if d.Kind != KindSession && d.front.Session != session && d.front.Session != "" {
			continue
		}
		at := strings.Index(msg, id)
		if at < 0 {
			continue
		}
		if at < bestAt || (at == bestAt && len(id) > len(best.front.ID)) {
			best, bestAt = d, at
		}
	}
	if best == nil {
		return "", 0
	}
	return best.File, best.line
}

// DecodeMarkdownFiles reads Markdown files from disk and assembles sessions
// from them, as DecodeMarkdownFS does for a tree. Errors name each file by
// the path given.
func DecodeMarkdownFiles(paths []string) ([]Session, error) {
	var docs []*Document
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, &Error{File: p, Msg: msg.T("cannot read the file: %s", err.Error())}
		}
		doc, err := DecodeMarkdown(p, data)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return Assemble(docs)
}
