package sessions

import (
	"fmt"
	"math/rand"
	"strings"
)

// genVocabulary mixes Kazakh, Russian and English words, as a real archive
// of the Kurultai does.
var genVocabulary = strings.Fields(`the parliament kurultai reform constitution referendum deputies council
	court president vice law people state region budget education science
	Ұлттық құрылтай парламент реформа заң халық мемлекет өңір білім ғылым
	Национальный курултай парламент реформа закон народ государство регион`)

// LongSpeechSession makes a session with one speech of about words words,
// for measuring the reader: paragraphs of 40 to 160 words from a mixed
// Kazakh, Russian and English vocabulary, some bold words, and a section
// heading every 25 paragraphs. The same seed gives the same text.
func LongSpeechSession(id string, words int, seed int64) Session {
	rng := rand.New(rand.NewSource(seed))
	var paras []string
	for n := 0; n < words; {
		k := 40 + rng.Intn(120)
		w := make([]string, k)
		for i := range w {
			w[i] = genVocabulary[rng.Intn(len(genVocabulary))]
		}
		w[rng.Intn(k)] = "**" + w[rng.Intn(k)] + "**"
		if len(paras)%26 == 0 {
			paras = append(paras, fmt.Sprintf("# Part %d", len(paras)/26+1))
		}
		paras = append(paras, strings.Join(w, " ")+".")
		n += k
	}
	return Session{ID: id, Body: "Benchmark", Number: 1, Date: "2024-01-01", Place: "Nowhere",
		Title: fmt.Sprintf("A session with a %d-word speech", words), Language: "en",
		Speeches: []Speech{{ID: id + "/speech", SessionID: id, Order: 1, Title: "The long speech",
			Language: "kk", Speaker: Speaker{ID: "speaker", Name: "A Speaker"},
			Paragraphs: SplitParagraphs(strings.Join(paras, "\n\n"))}}}
}
