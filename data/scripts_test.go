package data

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"kurultai/sessions"
)

// Search across scripts and accents, checked against spellings written out
// by hand: each query must find exactly the paragraphs listed, no more and
// no fewer. The archive is small and built here; each paragraph has a
// name, and its language is its session's.
var scriptParagraphs = []struct{ lang, name, text string }{
	// Kazakh: one sentence in Cyrillic and in each Latin alphabet.
	{"kk", "K1", "Шымкент қаласында Ұлттық құрылтай өтті."},
	{"kk", "K2", "S'ymkent qalasynda Ulttyq Quryltai' o'tti."}, // 2017
	{"kk", "K3", "Shymkent qalasynda Ulttyq Quryltaı ótti."},   // 2018
	{"kk", "K4", "Şymkent qalasynda Ūlttyq Qūryltai öttı."},    // 2021
	{"kk", "K5", "Әділет министрлігі бар."},
	{"kk", "K6", "A'dilet mi'nistrligi bar."},
	{"kk", "K7", "Ádilet mınıstrligi bar."},
	{"kk", "K8", "Ädilet minıstrlıgı bar."},
	{"kk", "K9", "Қазақ елі, Қазақстан және казак әскері."},
	{"kk", "K10", "Nursultan Nazarbayev Astanada söiledi."},
	{"kk", "K11", "Нұрсұлтан Назарбаев Астанада сөйледі."},
	{"kk", "K12", "Казак әскері."},
	// Russian.
	{"ru", "R1", "Всё решено, и все согласны."},
	{"ru", "R2", "Все пришли."},
	{"ru", "R3", "Ёлка стоит."},
	{"ru", "R4", "В Шымкенте бар, в Шымкент едут."},
	// Greek.
	{"el", "G1", "Ευχαριστώ πολύ για τη συνεδρίαση."},
	{"el", "G2", "ΣΥΝΕΔΡΙΑΣΗ ΤΗΣ ΒΟΥΛΗΣ"},
	{"el", "G3", "Η συνεδριαση ξεκινα."},
	{"el", "G4", "Ο Προϋπολογισμός ψηφίστηκε."},
	// English and Spanish.
	{"en", "E1", "The bar was closed near the café."},
	{"en", "E2", "Cafe society in Shymkent."},
	{"en", "E3", "Naïve reform of the Kazakhstan parliament."},
	{"es", "E5", "La sesión del Parlamento."},
	{"es", "E6", "Una sesion sin acento."},
}

var scriptQueries = []struct {
	q    string
	want string // the names of the paragraphs found, in any order
}{
	// Kazakh in any script and alphabet.
	{"Шымкент", "K1 K2 K3 K4 R4"},
	{"S'ymkent", "K1 K2 K3 K4"},
	{"Shymkent", "K1 K2 K3 K4 E2"},
	{"Şymkent", "K1 K2 K3 K4"},
	{"=Shymkent", "K3 E2"},
	{"Әділет", "K5 K6 K7 K8"},
	{"A'dilet", "K5 K6 K7 K8"},
	{"Ádilet", "K5 K6 K7 K8"},
	{"Ädilet", "K5 K6 K7 K8"},
	{"adilet", "K5 K6 K7 K8"},
	{"=Ádilet", "K7"},
	{`"Ulttyq Qurultai"`, "K1 K2 K3 K4"},
	{`"Ұлттық құрылтай"`, "K1 K2 K3 K4"},
	{"qurultai", "K1 K2 K3 K4"},
	{"Quryltaı", "K1 K2 K3 K4"},
	{"Qūryltai", "K1 K2 K3 K4"},
	{"qurult*", "K1 K2 K3 K4"},
	{"ötti", "K1 K2 K3 K4"},
	{"qurultai Шымкент", "K1 K2 K3 K4"},
	// Kazakh letters are not Russian ones in Cyrillic.
	{"қазақ", "K9"},
	{"казак", "K9 K12"},
	{"kazak", "K9 K12"},
	{"=kazak", ""},
	{"Qazaqstan", "K9"},
	{"Kazakhstan", "E3"}, // kh is х: Казахстан is Russian
	// False friends: the key is for Kazakh text only.
	{"bar", "E1 K5 K6 K7 K8"},
	{"=bar", "E1 K6 K7 K8"},
	{"бар", "K5 K6 K7 K8 R4"},
	{"adilet -=bar", "K5"},
	{"Nazarbayev", "K10 K11"},
	{"Назарбаев", "K10 K11"},
	{"Nursultan", "K10 K11"},
	// Russian ё.
	{"все", "R1 R2"},
	{"всё", "R1 R2"},
	{"=всё", "R1"},
	{"=все", "R1 R2"},
	{"елка", "R3"},
	{"ЁЛКА", "R3"},
	// Greek.
	{"συνεδρίαση", "G1 G2 G3"},
	{"ΣΥΝΕΔΡΙΑΣΗ", "G1 G2 G3"},
	{"συνεδριαση", "G1 G2 G3"},
	{"ευχαριστω", "G1"},
	{"Ευχαριστώ", "G1"},
	{"προυπολογισμος", "G4"},
	{"=συνεδρίαση", "G1"},
	{"=ΣΥΝΕΔΡΙΑΣΗ", "G2 G3"},
	// Latin accents.
	{"cafe", "E1 E2"},
	{"café", "E1 E2"},
	{"=café", "E1"},
	{"=cafe", "E2"},
	{"sesion", "E5 E6"},
	{"=sesión", "E5"},
	{"naive", "E3"},
}

func scriptArchive(t *testing.T) (*DB, map[string]string) {
	t.Helper()
	d := MustOpen(t)
	byLang := map[string]*sessions.Session{}
	var order []string
	names := map[string]string{} // hit key -> paragraph name
	for i, p := range scriptParagraphs {
		s := byLang[p.lang]
		if s == nil {
			id := "script-" + p.lang
			s = &sessions.Session{ID: id, Body: "Test", Date: fmt.Sprintf("2024-01-%02d", len(order)+1), Title: "Session", Language: p.lang}
			byLang[p.lang] = s
			order = append(order, p.lang)
		}
		id := fmt.Sprintf("%s/%d", s.ID, i)
		s.Speeches = append(s.Speeches, sessions.Speech{ID: id, SessionID: s.ID, Order: len(s.Speeches) + 1,
			Speaker: sessions.Speaker{ID: "spk", Name: "Speaker"}, Paragraphs: sessions.SplitParagraphs(p.text)})
		names[fmt.Sprintf("%s/%s/1/0", KindSpeech, id)] = p.name
	}
	var list []sessions.Session
	for _, l := range order {
		list = append(list, *byLang[l])
	}
	if err := d.Replace(context.Background(), "", list); err != nil {
		t.Fatal(err)
	}
	return d, names
}

func TestSearchScripts(t *testing.T) {
	if len(scriptQueries) < 40 {
		t.Fatalf("only %d spellings", len(scriptQueries))
	}
	d, names := scriptArchive(t)
	ctx := context.Background()
	for _, c := range scriptQueries {
		q := ParseQuery(c.q + " kind:speech")
		var got []string
		_, err := d.Each(ctx, q, true, func(h Hit) error {
			name := names[h.Key()]
			if name == "" {
				name = h.Key()
			}
			got = append(got, name)
			if !strings.Contains(h.Snippet, MarkStart) && !strings.HasPrefix(c.q, "-") {
				t.Errorf("%s: %s is found with nothing marked: %q", c.q, name, h.Snippet)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		sort.Strings(got)
		want := strings.Fields(c.want)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s finds %q, want %q", c.q, got, want)
		}
		n, err := d.Count(ctx, q)
		if err != nil || n != len(want) {
			t.Errorf("%s: Count = %d (%v), want %d", c.q, n, err, len(want))
		}
	}
}

// A result says when it was found through another script or spelling,
// and marks the word as written.
func TestSearchScriptsMarked(t *testing.T) {
	d, names := scriptArchive(t)
	ctx := context.Background()
	for _, c := range []struct{ q, name, through, marked string }{
		{"qurultai", "K1", "script", "құрылтай"},
		{"qurultai", "K3", "spelling", "Quryltaı"},
		{"qurultai", "K4", "spelling", "Qūryltai"},
		{"Шымкент", "K2", "script", "S'ymkent"},
		{"Шымкент", "K1", "", "Шымкент"},
		{"ευχαριστω", "G1", "", "Ευχαριστώ"},
		{"bar", "K5", "script", "бар"},
		{"bar", "E1", "", "bar"},
	} {
		found := false
		_, err := d.Each(ctx, ParseQuery(c.q), true, func(h Hit) error {
			if names[h.Key()] != c.name {
				return nil
			}
			found = true
			if h.Through != c.through {
				t.Errorf("%s in %s: through %q, want %q", c.q, c.name, h.Through, c.through)
			}
			if !strings.Contains(h.Snippet, MarkStart+c.marked+MarkEnd) {
				t.Errorf("%s in %s: %q does not mark %q", c.q, c.name, h.Snippet, c.marked)
			}
			return nil
		})
		if err != nil || !found {
			t.Errorf("%s: %s not found (%v)", c.q, c.name, err)
		}
	}
}

// In the sample, Kazakh typed in Latin finds the Kazakh summary of the
// fifth address, and marks its Cyrillic words.
func TestSampleLatinKazakh(t *testing.T) {
	d := searchArchive(t)
	for _, q := range []string{"Ulttyq Qurultai", "Qyzylorda", "Mäjiliste", "qurultai*"} {
		res, err := d.Search(context.Background(), ParseQuery(q+" session:nk-5"), SearchOptions{Limit: 50, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			if h.Speech == "nk-5/address-kk" {
				found = true
				if h.Through != "script" || !strings.Contains(h.Snippet, MarkStart) {
					t.Errorf("%s: ¶ %d through %q, snippet %q", q, h.Paragraph, h.Through, h.Snippet)
				}
			}
		}
		if !found {
			t.Errorf("%s does not find the Kazakh summary of the fifth address: %d results", q, res.Total)
		}
	}
}
