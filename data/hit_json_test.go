package data

import (
	"encoding/json"
	"testing"

	"kurultai/sessions"
)

// Hit.AppendJSON writes what json.Marshal and sessions.EscapeJSON write.
func TestHitAppendJSONAgrees(t *testing.T) {
	hits := []Hit{
		{},
		{Kind: KindSpeech, Field: "text", Session: "nk-5", SessionTitle: "Fifth \u202e meeting", Date: "2026-01-20", Speech: "nk-5/address",
			Title: "Address <b>&", Speaker: "Қасым-Жомарт Тоқаев", SpeakerID: "tokayev", Language: "en", Paragraph: 3,
			Snippet: "a " + MarkStart + "match" + MarkEnd + " \x1b[2J", Text: "line\nbreak \u009b \xff", Score: -0.6108950029718192},
		{Kind: KindTimeline, Event: 2, Score: -1e-7},
		{Kind: KindSpeaker, SpeakerID: "x", Score: 123456789012345678901234.0},
		{Kind: KindTitle, Score: 0.1 + 0.2},
	}
	for _, h := range hits {
		want, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		want = sessions.EscapeJSON(want)
		if got := h.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}
