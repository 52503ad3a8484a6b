package data

import (
	"context"
)

// ManifestVersion is the version of the manifest a kurultai server gives
// for sync.
const ManifestVersion = 1

// Manifest is what a server offers: the archive's identity and each
// session's id and digest (Hash), by which a client tells what it lacks.
type Manifest struct {
	Version  int             `json:"kurultai_sync"`
	Archive  string          `json:"archive"`
	Sessions []ManifestEntry `json:"sessions"`
}

// ManifestEntry is one session of a manifest.
type ManifestEntry struct {
	ID   string `json:"id"`
	Hash string `json:"hash"`
}

// Manifest lists the archive's sessions and their digests, by id.
func (d *DB) Manifest(ctx context.Context) (*Manifest, error) {
	archive, err := d.ArchiveID(ctx)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Version: ManifestVersion, Archive: archive, Sessions: []ManifestEntry{}}
	rows, err := d.query(ctx, "SELECT id, hash FROM sessions ORDER BY id")
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e ManifestEntry
		if err := rows.Scan(&e.ID, &e.Hash); err != nil {
			return nil, Friendly(err)
		}
		m.Sessions = append(m.Sessions, e)
	}
	return m, Friendly(rows.Err())
}

// SessionDigests gives the digest of each session of the archive, and the
// origin it came from, by id.
func (d *DB) SessionDigests(ctx context.Context) (map[string][2]string, error) {
	rows, err := d.query(ctx, "SELECT id, hash, origin FROM sessions")
	if err != nil {
		return nil, Friendly(err)
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var id, hash, origin string
		if err := rows.Scan(&id, &hash, &origin); err != nil {
			return nil, Friendly(err)
		}
		out[id] = [2]string{hash, origin}
	}
	return out, Friendly(rows.Err())
}

// PreparedHash is the digest of a prepared session (Hash).
func (p *Prepared) PreparedHash() string { return p.hash }
