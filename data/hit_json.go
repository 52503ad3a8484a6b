package data

import (
	"math"
	"strconv"

	"kurultai/sessions"
)

// AppendJSON appends the hit as JSON, as json.Marshal and
// sessions.EscapeJSON would write it together, in one pass: a search that
// streams every result writes many.
func (h *Hit) AppendJSON(b []byte) []byte {
	str := func(b []byte, key, v string, omit bool) []byte {
		if omit && v == "" {
			return b
		}
		b = append(b, ',', '"')
		b = append(b, key...)
		b = append(b, '"', ':')
		return sessions.AppendJSONString(b, v)
	}
	num := func(b []byte, key string, v int) []byte {
		if v == 0 {
			return b
		}
		b = append(b, ',', '"')
		b = append(b, key...)
		b = append(b, '"', ':')
		return strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, `{"kind":`...)
	b = sessions.AppendJSONString(b, h.Kind)
	b = str(b, "field", h.Field, true)
	b = str(b, "session", h.Session, true)
	b = str(b, "session_title", h.SessionTitle, true)
	b = str(b, "date", h.Date, true)
	b = str(b, "speech", h.Speech, true)
	b = str(b, "title", h.Title, true)
	b = str(b, "speaker", h.Speaker, true)
	b = str(b, "speaker_id", h.SpeakerID, true)
	b = str(b, "party", h.Party, true)
	b = str(b, "role", h.Role, true)
	b = str(b, "gender", h.Gender, true)
	b = str(b, "language", h.Language, true)
	b = num(b, "paragraph", h.Paragraph)
	b = num(b, "event", h.Event)
	b = str(b, "snippet", h.Snippet, false)
	b = str(b, "through", h.Through, true)
	b = str(b, "text", h.Text, false)
	b = append(b, `,"score":`...)
	return append(appendJSONFloat(b, h.Score), '}')
}

// appendJSONFloat writes a number as encoding/json does.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(b, '0')
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
