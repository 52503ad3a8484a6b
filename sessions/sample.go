package sessions

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sort"
)

//go:embed sample
var sampleFS embed.FS

// SampleOrigin tags the records of the built-in sample archive, so that a
// newer sample can replace them without touching anything imported beside it.
const SampleOrigin = "sample"

// Sample returns the built-in sample archive: the meetings of the National
// Kurultai, as summaries written for this project.
func Sample() ([]Session, error) {
	return DecodeMarkdownFS(sampleFS, "sample")
}

// SampleFS is the Markdown source of the built-in sample, for reading or
// copying as an example of the format.
func SampleFS() fs.FS {
	sub, _ := fs.Sub(sampleFS, "sample")
	return sub
}

// SampleVersion is a digest of the sample's source files. An archive built
// from another version of the sample is rebuilt.
func SampleVersion() string {
	h := sha256.New()
	var files []string
	_ = fs.WalkDir(sampleFS, "sample", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	for _, f := range files {
		data, _ := sampleFS.ReadFile(f)
		h.Write([]byte(f))
		h.Write([]byte{0})
		h.Write(data)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
