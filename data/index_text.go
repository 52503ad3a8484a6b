package data

import "sync"

// What the index holds of a row's text beside its words as FTS5 reads
// them (see docs/search.md, "Scripts and accents"):
//
//   - every text column is folded first (FoldAccents): Greek accents and
//     the final sigma, Russian ё;
//   - kcyr and klat hold the Kazakh cross-script keys (KazakhKey) of the
//     Cyrillic and of the Latin words of a Kazakh-language row, and are
//     empty in any other row;
//   - exact holds, for a row with words the fold changes, those words as
//     written (appendExact), for the =word operator.

// keyColumns are the Kazakh keys of a Kazakh row's texts: its Cyrillic
// words' and its Latin words'.
func keyColumns(texts ...string) (cyr, lat string) {
	var c, l []byte
	for _, t := range texts {
		c, l = appendKazakhKeys(c, l, t)
	}
	return string(c), string(l)
}

// exactColumn is the exact column of a row's texts.
func exactColumn(texts ...string) string {
	var b []byte
	for _, t := range texts {
		b = appendExact(b, t)
	}
	return string(b)
}

// indexColumns are the columns a row's texts add to the index: its
// keys when the row is in Kazakh, and its exact column.
func indexColumns(kazakh bool, texts ...string) (cyr, lat, exact any) {
	if kazakh {
		c, l := keyColumns(texts...)
		cyr, lat = nullEmpty(c), nullEmpty(l)
	}
	return cyr, lat, nullEmpty(exactColumn(texts...))
}

func nullEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// sqlFunctions are the Go functions the index's SQL calls, so that a
// speech paragraph's text is folded where it is read, not bound again.
var sqlFunctions = map[string]any{
	"kurultai_fold": FoldAccents,
	"kurultai_kcyr": func(a, b string) any {
		c, l := keyColumns(a, b)
		lastKeys.Lock()
		lastKeys.a, lastKeys.b, lastKeys.lat = a, b, l
		lastKeys.Unlock()
		return nullEmpty(c)
	},
	"kurultai_klat": func(a, b string) any {
		lastKeys.Lock()
		defer lastKeys.Unlock()
		if lastKeys.a == a && lastKeys.b == b {
			return nullEmpty(lastKeys.lat)
		}
		_, l := keyColumns(a, b)
		return nullEmpty(l)
	},
	"kurultai_exact": func(a, b string) any { return nullEmpty(exactColumn(a, b)) },
}

// lastKeys keeps the Latin keys that kurultai_kcyr made with the Cyrillic
// ones, for kurultai_klat, which SQLite calls next on the same row.
var lastKeys struct {
	sync.Mutex
	a, b, lat string
}

// textColumnList are the columns that hold a row's words as written (and
// folded), which a word of a query matches.
const textColumnList = "body heading title name place source"
