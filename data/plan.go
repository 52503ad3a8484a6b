package data

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"kurultai/sessions"
	"kurultai/sessions/msg"
)

// planner gathers what an import reads from the paths it is given.
type planner struct {
	opts     ImportOptions
	warn     sessions.Warn
	reach    sessions.CorpusOptions
	units    []unit
	roots    []*sessions.Corpus
	sittings []string
	refused  []FailedSource
}

// plan finds what to import in the paths given: files by their extension,
// folders by walking them. A corpus root's sittings are read through the
// root, with its persons, and not again on their own. Sources that may not
// be read (an include or a link that leaves its folder) stop the import,
// or with KeepGoing are returned to be listed as failed.
func plan(paths []string, opts ImportOptions, warn sessions.Warn) ([]unit, []FailedSource, error) {
	pl := &planner{opts: opts, warn: warn, reach: sessions.CorpusOptions{AllowOutside: opts.AllowOutside}}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, msg.Errorf("%s: %v", p, plainFSError(err))
		}
		if st.IsDir() {
			if err := pl.walk(p); err != nil {
				return nil, nil, err
			}
			continue
		}
		if why := sessions.NotRegular(p); !why.IsZero() {
			return nil, nil, msg.Errorf("%s: %v", p, why)
		}
		if err := pl.file(p, true); err != nil {
			return nil, nil, err
		}
	}
	inRoot := map[string]bool{}
	for _, c := range pl.roots {
		for _, s := range c.Sittings {
			abs, _ := filepath.Abs(s)
			if inRoot[abs] {
				continue
			}
			inRoot[abs] = true
			pl.units = append(pl.units, unit{path: s, format: "tei", size: fileSize(s), corpus: c, reach: pl.reach})
		}
	}
	for _, s := range pl.sittings {
		abs, _ := filepath.Abs(s)
		if !inRoot[abs] {
			inRoot[abs] = true
			pl.units = append(pl.units, unit{path: s, format: "tei", size: fileSize(s), reach: pl.reach})
		}
	}
	pl.units = pl.oneOfTwins(pl.units)
	return pl.units, pl.refused, nil
}

// oneOfTwins keeps one copy of a sitting given both plain (X.xml) and
// annotated (X.ana.xml): the two are one sitting with one id, and the
// annotated copy, which holds the same text, is read.
func (pl *planner) oneOfTwins(units []unit) []unit {
	stem := func(u unit) (string, bool) {
		if u.format != "tei" {
			return "", false
		}
		abs, _ := filepath.Abs(u.path)
		base := strings.TrimSuffix(abs, filepath.Ext(abs))
		return strings.TrimSuffix(base, ".ana"), strings.HasSuffix(base, ".ana")
	}
	annotated := map[string]bool{}
	for _, u := range units {
		if s, ana := stem(u); ana {
			annotated[s] = true
		}
	}
	kept, dropped := units[:0], 0
	for _, u := range units {
		if s, ana := stem(u); s != "" && !ana && annotated[s] {
			dropped++
			continue
		}
		kept = append(kept, u)
	}
	if dropped > 0 {
		pl.warn(msg.Pick(int64(dropped),
			msg.T("%v sitting is here both plain and annotated (.ana): it is read once, from its annotated copy, which holds the same text", msg.Count(dropped)),
			msg.T("%v sittings are here both plain and annotated (.ana): each is read once, from its annotated copy, which holds the same text", msg.Count(dropped))))
	}
	return kept
}

// refuse deals with a source that may not be read: it stops the import,
// or with KeepGoing it is listed and the import goes on without it.
func (pl *planner) refuse(path string, err error) error {
	if !pl.opts.KeepGoing {
		return err
	}
	pl.refused = append(pl.refused, FailedSource{Path: path, Err: err})
	return nil
}

// walk plans a folder. A link in it that leads out of it is refused as an
// include would be, and pipes, devices and sockets are passed over: none
// of them is opened.
func (pl *planner) walk(root string) error {
	var md []string
	var mdSize int64
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return msg.Errorf("%s: %v", path, plainFSError(err))
		}
		if e.IsDir() {
			if path != root && strings.HasPrefix(e.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 && !pl.opts.AllowOutside {
			out, err := sessions.LeavesFolder(root, path)
			if err != nil {
				return pl.refuse(path, msg.Errorf("%s: a link to nothing that can be read: %v", path, plainFSError(err)))
			}
			if out {
				return pl.refuse(path, msg.Errorf("%s: a link that leaves the folder %s; pass --allow-outside to import it", path, root))
			}
		}
		if !e.Type().IsRegular() {
			if why := sessions.NotRegular(path); !why.IsZero() {
				pl.warn(msg.T("%s: skipped, it %v", path, why))
				return nil
			}
		}
		if strings.EqualFold(filepath.Ext(path), ".md") {
			if strings.HasPrefix(strings.ToUpper(e.Name()), "README") {
				return nil
			}
			md = append(md, path)
			mdSize += fileSize(path)
			return nil
		}
		return pl.file(path, false)
	})
	if err != nil {
		return err
	}
	if len(md) > 0 {
		sort.Strings(md)
		pl.units = append(pl.units, unit{path: root, format: "markdown", files: md, size: mdSize})
	}
	return nil
}

// file plans one file. named is true when the user named the file: then a
// file of unknown kind is an error, not a warning.
func (pl *planner) file(path string, named bool) error {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".md":
		pl.units = append(pl.units, unit{path: path, format: "markdown", files: []string{path}, size: fileSize(path)})
		return nil
	case ".json":
		pl.units = append(pl.units, unit{path: path, format: "json", size: fileSize(path)})
		return nil
	case ".xml":
		kind, err := sessions.TEIKind(path)
		if err != nil {
			return nameFile(path, err)
		}
		switch kind {
		case "teiCorpus":
			c, err := sessions.ReadCorpus(path, pl.reach, pl.warn)
			var refused sessions.RefusedIncludes
			if errors.As(err, &refused) {
				// The root is read without the includes refused.
				for _, r := range refused {
					if err := pl.refuse(path, r); err != nil {
						return refused
					}
				}
				err = nil
			}
			if err != nil {
				return nameFile(path, err)
			}
			pl.roots = append(pl.roots, c)
			return nil
		case "TEI":
			pl.sittings = append(pl.sittings, path)
			return nil
		}
		if named {
			return msg.Errorf("%s: root element <%s>; expected a ParlaMint <teiCorpus> or <TEI>", path, kind)
		}
		// Lists of persons and organisations and taxonomies are read
		// through their corpus root, if at all.
		return nil
	case ".tsv", ".txt":
		if named {
			return msg.Errorf("%s: a .tsv or .txt file is read beside its ParlaMint sitting, not on its own", path)
		}
		return nil
	}
	if named {
		return msg.Errorf("%s: not a format kurultai reads (expected .md, .json or .xml)", path)
	}
	pl.warn(msg.T("%s: skipped, not a format kurultai reads", path))
	return nil
}
