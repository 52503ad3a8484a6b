package sessions

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"kurultai/sessions/msg"
)

// A corpus root names its files with xi:include, and a corpus comes from
// elsewhere: an include may point anywhere. What an include names is
// therefore checked before anything is opened: it must be a relative path
// that stays inside the root's folder, links resolved, and a regular file.
// Only names are looked at for the check (lstat and readlink), so a named
// pipe or a device is never opened, even to be refused.

// CorpusOptions say how far reading a corpus may reach.
type CorpusOptions struct {
	// AllowOutside lets a corpus root include files outside its own
	// folder, by a path with "..", an absolute path or a link, and lets a
	// sitting's -meta.tsv be a link to a file outside the sitting's folder.
	// URLs, pipes and devices are refused all the same.
	AllowOutside bool
}

// IncludeError is an xi:include of a corpus root that is not followed.
type IncludeError struct {
	Root string // the corpus root, as it was given
	Href string
	Why  msg.Text
}

func (e *IncludeError) Error() string { return e.Say(nil) }

// Say says why in the interface's language.
func (e *IncludeError) Say(tr msg.Translate) string {
	return msg.T("%s: xi:include %q %v", e.Root, e.Href, e.Why).Say(tr)
}

// RefusedIncludes is the error of a corpus root some of whose includes
// were refused. The Corpus that comes with it holds the others, so that an
// import that goes on past bad sources can still read them.
type RefusedIncludes []*IncludeError

func (r RefusedIncludes) Error() string { return r.Say(nil) }

// Say says which in the interface's language.
func (r RefusedIncludes) Say(tr msg.Translate) string {
	switch len(r) {
	case 1:
		return r[0].Say(tr)
	case 2:
		return msg.T("%v; %d more include is refused", r[0], 1).Say(tr)
	}
	return msg.T("%v; %d more includes are refused", r[0], len(r)-1).Say(tr)
}

// Unwrap gives each refused include.
func (r RefusedIncludes) Unwrap() []error {
	out := make([]error, len(r))
	for i, e := range r {
		out[i] = e
	}
	return out
}

// Reasons an include is refused.
var (
	whyOutside     = msg.T("leaves the corpus folder; pass --allow-outside to import it")
	whyOutsideLink = msg.T("leaves the corpus folder through a link; pass --allow-outside to import it")
	whyURL         = msg.T("is a URL; only files named by a path are read, never fetched")
	whyEmpty       = msg.T("names no file")
)

// errMissing marks an include whose file is not there: a warning, as
// ParlaMint samples leave files out.
var errMissing = msg.New("not there")

// uriScheme matches the start of an absolute URI ("http:", "file:").
var uriScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// folder is a directory that reading may not leave: as given, for joining
// names to it, and with its links resolved, for comparing.
type folder struct {
	dir, real string
}

func newFolder(dir string) (folder, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return folder{}, err
	}
	real, err = filepath.Abs(real)
	return folder{dir: dir, real: real}, err
}

// holds says whether a path with its links resolved is inside the folder.
func (f folder) holds(real string) bool {
	rel, err := filepath.Rel(f.real, real)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolveInclude checks what an include names and gives the path to open.
// It returns errMissing for a file that is not there, and a reason for one
// that may not be read.
func (f folder) resolveInclude(href string, opts CorpusOptions) (path string, why msg.Text, err error) {
	if strings.TrimSpace(href) == "" {
		return "", whyEmpty, nil
	}
	if uriScheme.MatchString(href) {
		return "", whyURL, nil
	}
	name := filepath.FromSlash(href)
	dotdot := false
	for _, el := range strings.Split(name, string(filepath.Separator)) {
		dotdot = dotdot || el == ".."
	}
	switch {
	case filepath.IsAbs(name):
		if !opts.AllowOutside {
			return "", whyOutside, nil
		}
		path = name
	case !dotdot:
		path = filepath.Join(f.dir, name)
	default:
		// Lexically first: "../x" is refused without looking at the disk.
		if rel := filepath.Clean(name); !opts.AllowOutside && (rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))) {
			return "", whyOutside, nil
		}
		// Joined without cleaning, so that a ".." after a link is taken
		// where the link leads, as opening the file does.
		path = f.dir + string(filepath.Separator) + name
	}
	// As before, a file that cannot be found (or reached) is a warning.
	real, err := filepath.EvalSymlinks(path)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		return "", msg.Text{}, errMissing
	}
	if !opts.AllowOutside && !f.holds(real) {
		return "", whyOutsideLink, nil
	}
	if why := NotRegular(real); !why.IsZero() {
		return "", msg.T("%v; it is never opened", why), nil
	}
	return path, msg.Text{}, nil
}

// LeavesFolder says whether path, with its links resolved, lies outside
// dir, with its links resolved.
func LeavesFolder(dir, path string) (bool, error) {
	f, err := newFolder(dir)
	if err != nil {
		return false, err
	}
	real, err := filepath.EvalSymlinks(path)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		return false, err
	}
	return !f.holds(real), nil
}

// NotRegular says why a file that is there is not one to read: a pipe, a
// device, a socket or a folder; or "" for a regular file. It only stats
// the file, which never blocks, where opening a pipe would.
func NotRegular(path string) msg.Text {
	st, err := os.Stat(path)
	if err != nil {
		return msg.T("cannot be read: %v", plainError(err))
	}
	m := st.Mode()
	switch {
	case m.IsRegular():
		return msg.Text{}
	case m.IsDir():
		return msg.T("is a folder, not a file")
	case m&fs.ModeNamedPipe != 0:
		return msg.T("is a named pipe, not a file")
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return msg.T("is a device, not a file")
	case m&fs.ModeSocket != 0:
		return msg.T("is a socket, not a file")
	}
	return msg.T("is not a regular file")
}

func plainError(err error) msg.Text {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return msg.T("no such file")
	case errors.Is(err, fs.ErrPermission):
		return msg.T("permission denied")
	}
	return msg.T("%v", err)
}

// besideFile checks a file that is read beside another one (a sitting's
// -meta.tsv): it must be a regular file and, unless outside files are
// allowed, not a link that leads out of the folder they share. It returns
// ok false, with no error, when the file is not there.
func besideFile(path string, opts CorpusOptions) (ok bool, err error) {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, &Error{File: path, Msg: msg.T("cannot be read: %v", plainError(err))}
	}
	if st.Mode()&fs.ModeSymlink != 0 && !opts.AllowOutside {
		f, err := newFolder(filepath.Dir(path))
		if err != nil {
			return false, &Error{File: path, Msg: msg.T("cannot be read: %v", plainError(err))}
		}
		real, err := filepath.EvalSymlinks(path)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err == nil {
			real, err = filepath.Abs(real)
		}
		if err != nil {
			return false, &Error{File: path, Msg: msg.T("cannot be read: %v", plainError(err))}
		}
		if !f.holds(real) {
			return false, &Error{File: path, Msg: msg.T("is a link that leaves its folder; pass --allow-outside to read it")}
		}
	}
	if why := NotRegular(path); !why.IsZero() {
		return false, &Error{File: path, Msg: msg.T("%v; it is never opened", why)}
	}
	return true, nil
}
