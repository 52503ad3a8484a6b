package sessions

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// emptyParagraph stands for a paragraph with no text (a ParlaMint seg that
// held only a stage direction), which Markdown cannot otherwise show.
const emptyParagraph = "<!-- empty paragraph -->"

type sessionFront struct {
	Kind       string   `yaml:"kind"`
	ID         string   `yaml:"id"`
	Body       string   `yaml:"body,omitempty"`
	Number     int      `yaml:"number,omitempty"`
	Date       string   `yaml:"date"`
	Place      string   `yaml:"place,omitempty"`
	Title      string   `yaml:"title"`
	Language   string   `yaml:"language,omitempty"`
	Provenance string   `yaml:"provenance,omitempty"`
	Sources    []Source `yaml:"sources,omitempty"`
}

type speakerFront struct {
	ID        string                `yaml:"id,omitempty"`
	Name      string                `yaml:"name,omitempty"`
	Role      string                `yaml:"role,omitempty"`
	Family    string                `yaml:"family,omitempty"`
	Given     string                `yaml:"given,omitempty"`
	Forms     map[string]PersonName `yaml:"forms,omitempty"`
	Party     string                `yaml:"party,omitempty"`
	PartyName string                `yaml:"party_name,omitempty"`
	Side      string                `yaml:"side,omitempty"`
	Gender    string                `yaml:"gender,omitempty"`
	Person    *PersonInfo           `yaml:"person,omitempty"`
}

type speechFront struct {
	Kind       string        `yaml:"kind"`
	ID         string        `yaml:"id"`
	Session    string        `yaml:"session"`
	Speaker    *speakerFront `yaml:"speaker,omitempty"`
	Order      int           `yaml:"order,omitempty"`
	Title      string        `yaml:"title,omitempty"`
	Language   string        `yaml:"language,omitempty"`
	SourceURL  string        `yaml:"source_url,omitempty"`
	Provenance string        `yaml:"provenance,omitempty"`
	Topic      string        `yaml:"topic,omitempty"`
}

type proposalFront struct {
	Kind       string         `yaml:"kind"`
	ID         string         `yaml:"id"`
	Session    string         `yaml:"session"`
	Order      int            `yaml:"order,omitempty"`
	Title      string         `yaml:"title"`
	Category   string         `yaml:"category,omitempty"`
	Status     string         `yaml:"status,omitempty"`
	Provenance string         `yaml:"provenance,omitempty"`
	Timeline   []Event        `yaml:"timeline,omitempty"`
	MadeIn     []ParagraphRef `yaml:"made_in,omitempty"`
}

// MarkdownWriter writes sessions as a Markdown tree, the authoring format:
// a folder per session with session.md, speech-NNNN.md and
// proposal-NNNN.md.
type MarkdownWriter struct {
	dir  string
	used map[string]bool
}

// NewMarkdownWriter writes into dir, which must exist.
func NewMarkdownWriter(dir string) *MarkdownWriter {
	return &MarkdownWriter{dir: dir, used: map[string]bool{}}
}

var unsafeName = regexp.MustCompile(`[^\p{L}\p{N}._-]+`)

// Write writes one session's folder.
func (w *MarkdownWriter) Write(s *Session) error {
	name := strings.Trim(unsafeName.ReplaceAllString(s.ID, "_"), "._")
	if name == "" {
		name = "session"
	}
	base := name
	for i := 2; w.used[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	w.used[strings.ToLower(name)] = true
	dir := filepath.Join(w.dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeDoc(filepath.Join(dir, "session.md"), sessionFront{
		Kind: KindSession, ID: s.ID, Body: s.Body, Number: s.Number, Date: s.Date, Place: s.Place,
		Title: s.Title, Language: s.Language, Provenance: s.Provenance, Sources: s.Sources,
	}, s.Summary); err != nil {
		return err
	}
	for i, sp := range s.Speeches {
		front := speechFront{Kind: KindSpeech, ID: sp.ID, Session: s.ID, Order: sp.Order, Title: sp.Title,
			Language: sp.Language, SourceURL: sp.SourceURL, Provenance: sp.Provenance, Topic: sp.Topic}
		if !sp.Speaker.IsZero() {
			front.Speaker = &speakerFront{ID: sp.Speaker.ID, Name: sp.Speaker.Name, Role: sp.Speaker.Role,
				Family: sp.Speaker.Family, Given: sp.Speaker.Given, Forms: sp.Speaker.Forms,
				Party: sp.Speaker.Party, PartyName: sp.Speaker.PartyName, Side: sp.Speaker.Side, Gender: sp.Speaker.Gender,
				Person: sp.Speaker.Person}
		}
		if err := writeDoc(filepath.Join(dir, fmt.Sprintf("speech-%04d.md", i+1)), front, JoinParagraphs(sp.Paragraphs)); err != nil {
			return err
		}
	}
	for i, p := range s.Proposals {
		front := proposalFront{Kind: KindProposal, ID: p.ID, Session: s.ID, Order: p.Order, Title: p.Title,
			Category: p.Category, Status: p.Status, Provenance: p.Provenance, Timeline: p.Timeline, MadeIn: p.MadeIn}
		if err := writeDoc(filepath.Join(dir, fmt.Sprintf("proposal-%04d.md", i+1)), front, p.Text); err != nil {
			return err
		}
	}
	return nil
}

// JoinParagraphs writes paragraphs back as Markdown that SplitParagraphs
// reads as the same paragraphs: headings as "# " lines, blank lines
// between, and a marker for a paragraph with no text.
func JoinParagraphs(ps []Paragraph) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if p.Heading != "" {
			b.WriteString("# " + p.Heading + "\n\n")
		}
		switch {
		case p.Text == "" && p.Heading != "" && i == len(ps)-1:
			// A last heading with nothing after it reads back as is.
		case p.Text == "":
			b.WriteString(emptyParagraph)
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

func writeDoc(path string, front any, body string) error {
	y, err := yaml.Marshal(front)
	if err != nil {
		return err
	}
	text := "---\n" + string(y) + "---\n"
	if body != "" {
		text += body + "\n"
	}
	return os.WriteFile(path, []byte(text), 0o644)
}
