package sessions

import (
	"fmt"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"kurultai/sessions/msg"
)

// Synthetic archives for benchmarks. They have the shape of a real one:
// sessions of very different sizes (tens to thousands of speeches),
// speeches from one paragraph to some 50,000 words, a Zipf-distributed
// vocabulary that mixes Kazakh, Russian and English words, a pool of
// recurring speakers, and proposals with dated timelines that point at
// paragraphs. The same options always give the same archive.

// GenOptions shape a synthetic archive.
type GenOptions struct {
	Paragraphs int   // paragraphs in all
	Sessions   int   // sessions; 0 means one for every 100 paragraphs
	Seed       int64 // the same seed gives the same archive
	// Transcript gives the shape of a ParlaMint transcript instead of an
	// archive of addresses: utterances of 1 to 4 paragraphs (2.5 on
	// average) of 8 to 95 words (52 on average), about 130 words each.
	// That is what the ParlaMint BG, GB and TR corpora average, by the
	// counts in their corpus headers: 1.56 million utterances, 3.95
	// million segs and 202 million words.
	Transcript bool
	// Prefix begins the sessions' ids (and so their speeches' and
	// proposals'); "" is gen-. Two archives of other prefixes can stand
	// side by side.
	Prefix string
}

// Words that open the vocabulary, so that they are the most frequent: the
// terms a researcher of the Kurultai would search for.
var genCommon = strings.Fields(`the of and to in a is that for on with as by parliament reform law
	constitution referendum deputies council court president people state region budget
	education science vice committee proposal kurultai speaker session report
	және мен бұл үшін туралы заң халық мемлекет парламент реформа өңір білім ғылым құрылтай
	депутат сот конституция референдум ұлттық қазақстан кеңес бюджет
	и в на с по что для это закон народ государство парламент реформа регион образование
	наука курултай депутаты суд конституция референдум национальный совет бюджет президент`)

var genSyllables = map[string][]string{
	"en": strings.Fields("ar be con de ex for gen in ment na or pro re sta ter tion un ver al ty"),
	"kk": strings.Fields("қа ша ар ба да ет ға ді із лы ме на ой құ ры тай ұл ті ше ік"),
	"ru": strings.Fields("ра ни ко ст во ен про за ли ва ре ст ов ция ми ла до по ка ть"),
}

// genVocabulary is built once, when first asked for (not when the
// program starts, which it would slow for every command): the common
// words, then words made of syllables of each language, 30,000 in all.
var genVocabulary = sync.OnceValue(func() []string {
	rng := rand.New(rand.NewSource(7))
	seen := map[string]bool{}
	var out []string
	for _, w := range genCommon {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	langs := []string{"kk", "ru", "en"}
	for len(out) < 30000 {
		syl := genSyllables[langs[len(out)%3]]
		var b strings.Builder
		for n := 2 + rng.Intn(3); n > 0; n-- {
			b.WriteString(syl[rng.Intn(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
})

var (
	genGiven  = strings.Fields("Асхат Айгерім Бауыржан Гүлнар Ерлан Жанар Марат Сәуле Тимур Әлия Алексей Ольга Сергей Наталья Иван Мария John Sarah David Anna")
	genFamily = strings.Fields("Тоқаев Сапаров Нұрланов Ахметова Қасымов Жұмабаев Смагулова Иванов Петрова Ким Смирнов Brown Smith Evans Taylor")
	genPlaces = strings.Fields("Astana Almaty Shymkent Aktobe Karaganda Taraz Pavlodar Oskemen Semey Atyrau Kostanay Kyzylorda Oral Petropavl Aktau Turkestan Kokshetau Taldykorgan Ekibastuz Zhezkazgan")
	genStatus = []string{"proposed", "under discussion", "draft law submitted", "adopted", "rejected", "implemented"}
)

// generator makes text from the Zipf vocabulary.
type generator struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	vocab []string
	buf   strings.Builder
}

func newGenerator(seed int64) *generator {
	rng := rand.New(rand.NewSource(seed))
	vocab := genVocabulary()
	return &generator{rng: rng, vocab: vocab, zipf: rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))}
}

func (g *generator) words(n int) string {
	g.buf.Reset()
	for i := 0; i < n; i++ {
		w := g.vocab[g.zipf.Uint64()]
		if i == 0 {
			r, size := utf8.DecodeRuneInString(w)
			g.buf.WriteRune(unicode.ToUpper(r))
			g.buf.WriteString(w[size:])
			continue
		}
		g.buf.WriteByte(' ')
		g.buf.WriteString(w)
		if g.rng.Intn(12) == 0 {
			g.buf.WriteByte(',')
		}
	}
	g.buf.WriteByte('.')
	return g.buf.String()
}

// paragraphWords is a paragraph's length: mostly 20 to 150 words.
func (g *generator) paragraphWords() int {
	return 20 + int(math.Min(g.rng.ExpFloat64()*65, 400))
}

// speechParagraphs is a speech's length: most are short, a few run to
// about 500 paragraphs (some 50,000 words).
func (g *generator) speechParagraphs() int {
	switch r := g.rng.Float64(); {
	case r < 0.55:
		return 1 + g.rng.Intn(3)
	case r < 0.9:
		return 4 + g.rng.Intn(17)
	case r < 0.997:
		return 21 + g.rng.Intn(80)
	default:
		return 300 + g.rng.Intn(250)
	}
}

// budgets spreads paragraphs over sessions with a heavy tail, so that a
// few sessions are very large.
func (g *generator) budgets(paragraphs, sessions int) []int {
	w := make([]float64, sessions)
	sum := 0.0
	for i := range w {
		w[i] = math.Exp(g.rng.NormFloat64() * 1.5)
		sum += w[i]
	}
	out := make([]int, sessions)
	left := paragraphs - sessions // every session gets at least one
	given := 0
	for i := range w {
		out[i] = 1 + int(float64(left)*w[i]/sum)
		given += out[i]
	}
	for i := 0; given < paragraphs; i = (i + 1) % sessions {
		out[i]++
		given++
	}
	return out
}

// genParties are the generator's parties: short and full name, and side.
var genParties = []struct{ short, full, side string }{
	{"AMN", "Amanat", "coalition"}, {"AZ", "Ak Zhol", "coalition"}, {"HP", "People's Party", "opposition"},
	{"AUL", "Auyl", "opposition"}, {"RSP", "Respublica", "opposition"},
}

// genPeople gives a generated speaker their party on the day, its side and
// their gender, from who they are alone (the random stream is left as it
// was): every fifth speaker is in each party, and every seventh moves to
// the next party from 2015 on. The given names alternate men's and
// women's.
func genPeople(sp *Speaker, who int, date string) {
	p := who % len(genParties)
	if who%7 == 0 && date >= "2015" {
		p = (p + 1) % len(genParties)
	}
	sp.Party, sp.PartyName, sp.Side = genParties[p].short, genParties[p].full, genParties[p].side
	sp.Gender = "M"
	if who%len(genGiven)%2 == 1 {
		sp.Gender = "F"
	}
}

// Generate makes a synthetic archive and hands its sessions to emit one at
// a time, oldest first.
func Generate(opts GenOptions, emit func(*Session) error) error {
	if opts.Paragraphs < 1 {
		return msg.Errorf("--paragraphs must be at least 1")
	}
	n := opts.Sessions
	if n <= 0 {
		n = max(1, opts.Paragraphs/100)
	}
	if n > opts.Paragraphs {
		return msg.Errorf("%d sessions cannot share %d paragraphs: give at least one paragraph a session", n, opts.Paragraphs)
	}
	g := newGenerator(opts.Seed)
	budgets := g.budgets(opts.Paragraphs, n)
	start := 1995*12 + 0
	span := (2026-1995)*12 + 11
	for i, budget := range budgets {
		month := start + i*span/n
		day := 1 + g.rng.Intn(28)
		prefix := opts.Prefix
		if prefix == "" {
			prefix = "gen-"
		}
		id := fmt.Sprintf("%s%05d", prefix, i+1)
		lang := []string{"kk", "ru", "en"}[g.rng.Intn(3)]
		s := Session{ID: id, Body: "Synthetic Kurultai", Number: i + 1,
			Date:  fmt.Sprintf("%04d-%02d-%02d", month/12, month%12+1, day),
			Place: genPlaces[g.rng.Intn(len(genPlaces))], Title: g.words(3 + g.rng.Intn(6)),
			Summary: g.words(40) + "\n\n" + g.words(60), Language: lang, Provenance: ProvenanceSummary}
		// The largest sittings are debates: thousands of short utterances.
		debate := budget > 1500
		for left := budget; left > 0; {
			k := g.speechParagraphs()
			if debate && g.rng.Float64() < 0.9 {
				k = 1 + g.rng.Intn(2)
			}
			if opts.Transcript {
				k = 1 + g.rng.Intn(4)
			}
			k = min(k, left)
			left -= k
			sp := Speech{ID: fmt.Sprintf("%s/s%05d", id, len(s.Speeches)+1), SessionID: id,
				Order: len(s.Speeches) + 1, Language: lang, Provenance: ProvenanceSummary}
			who := g.rng.Intn(len(genGiven) * len(genFamily))
			sp.Speaker = Speaker{ID: fmt.Sprintf("gen-speaker-%03d", who),
				Name: genGiven[who%len(genGiven)] + " " + genFamily[who/len(genGiven)], Role: "member"}
			genPeople(&sp.Speaker, who, s.Date)
			sp.Title = g.words(2 + g.rng.Intn(5))
			for p := 0; p < k; p++ {
				words := g.paragraphWords()
				if opts.Transcript {
					words = 8 + g.rng.Intn(30) + g.rng.Intn(30) + g.rng.Intn(30)
				}
				para := Paragraph{Number: p + 1, Text: g.words(words)}
				if k > 20 && p%25 == 0 {
					para.Heading = g.words(3)
				}
				sp.Paragraphs = append(sp.Paragraphs, para)
			}
			s.Speeches = append(s.Speeches, sp)
		}
		for p := 0; p < g.rng.Intn(4); p++ {
			sp := s.Speeches[g.rng.Intn(len(s.Speeches))]
			prop := Proposal{ID: fmt.Sprintf("%s/p%02d", id, p+1), SessionID: id, Order: p + 1,
				Title: g.words(4 + g.rng.Intn(5)), Text: g.words(50) + "\n\n" + g.words(30),
				Category:   []string{"parliament", "economy", "education", "rights", "procedure"}[g.rng.Intn(5)],
				Provenance: ProvenanceSummary,
				MadeIn:     []ParagraphRef{{Speech: sp.ID, Paragraphs: []int{1 + g.rng.Intn(len(sp.Paragraphs))}}}}
			date := s.Date
			for e := 0; e < 2+g.rng.Intn(3); e++ {
				prop.Timeline = append(prop.Timeline, Event{Date: date, Status: genStatus[min(e, len(genStatus)-1)],
					Note: g.words(8), Source: "synthetic", Confidence: []string{"high", "medium", "low"}[g.rng.Intn(3)]})
				y, _ := strconv.Atoi(date[:4])
				m, _ := strconv.Atoi(date[5:7])
				next := y*12 + m - 1 + 1 + g.rng.Intn(6)
				date = fmt.Sprintf("%04d-%02d", next/12, next%12+1)
			}
			prop.Status = prop.Timeline[len(prop.Timeline)-1].Status
			s.Proposals = append(s.Proposals, prop)
		}
		if err := emit(&s); err != nil {
			return err
		}
	}
	return nil
}

// LongSpeechSession makes a session with one speech of about words words,
// for measuring the reader: paragraphs of 40 to 160 words from the
// generator's vocabulary, some bold words, and a section heading every 25
// paragraphs. The same seed gives the same text.
func LongSpeechSession(id string, words int, seed int64) Session {
	g := newGenerator(seed)
	var paras []string
	for n := 0; n < words; {
		k := 40 + g.rng.Intn(120)
		text := strings.Fields(g.words(k))
		text[g.rng.Intn(k)] = "**" + text[g.rng.Intn(k)] + "**"
		if len(paras)%26 == 0 {
			paras = append(paras, fmt.Sprintf("# Part %d", len(paras)/26+1))
		}
		paras = append(paras, strings.Join(text, " "))
		n += k
	}
	return Session{ID: id, Body: "Benchmark", Number: 1, Date: "2024-01-01", Place: "Nowhere",
		Title: fmt.Sprintf("A session with a %d-word speech", words), Language: "en",
		Speeches: []Speech{{ID: id + "/speech", SessionID: id, Order: 1, Title: "The long speech",
			Language: "kk", Speaker: Speaker{ID: "speaker", Name: "A Speaker"},
			Paragraphs: SplitParagraphs(strings.Join(paras, "\n\n"))}}}
}

// GenWord is the word at a rank of the generator's Zipf vocabulary: rank 0
// is the most frequent. Benchmarks use it to pick rare and common terms.
func GenWord(rank int) string {
	v := genVocabulary()
	return v[max(0, min(rank, len(v)-1))]
}
