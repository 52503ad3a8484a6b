package command

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// canaries is a folder tree that nothing run over SSH may touch: it holds
// plain files, a copy of an archive, and folders a client might name as
// its home. The kernel (inotify) reports every open, change, creation and
// deletion in it, so a test can tell that a file was merely opened.
type canaries struct {
	root string
	fd   int
	dirs map[int32]string
}

// newCanaries makes the tree under root and watches it; archive, if not
// empty, is copied in as another archive that must never be opened.
func newCanaries(t testing.TB, root, archive string) *canaries {
	t.Helper()
	for _, d := range []string{"home/.ssh", "home/.local/share/kurultai", "xdg/kurultai", "other"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"home/.ssh/authorized_keys": "ssh-ed25519 AAAA canary\n",
		"home/.profile":             "# canary\n",
		"passwd":                    "root:x:0:0::/root:/bin/sh\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if archive != "" {
		b, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"other/archive.db", "xdg/kurultai/archive.db", "home/.local/share/kurultai/archive.db"} {
			if err := os.WriteFile(filepath.Join(root, p), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		t.Skipf("inotify is not available here: %v", err)
	}
	c := &canaries{root: root, fd: fd, dirs: map[int32]string{}}
	t.Cleanup(func() { syscall.Close(fd) })
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return c.watch(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const watchMask = syscall.IN_OPEN | syscall.IN_MODIFY | syscall.IN_ATTRIB | syscall.IN_CREATE |
	syscall.IN_DELETE | syscall.IN_MOVED_FROM | syscall.IN_MOVED_TO | syscall.IN_DELETE_SELF

// watch adds one folder (its files and itself) to the watch.
func (c *canaries) watch(dir string) error {
	return c.watchFor(dir, watchMask)
}

// watchWrites adds a folder for changes only: one that other programs
// read, such as the tests' working folder, which the go tool reads.
func (c *canaries) watchWrites(dir string) error {
	return c.watchFor(dir, watchMask&^syscall.IN_OPEN)
}

func (c *canaries) watchFor(dir string, mask uint32) error {
	wd, err := syscall.InotifyAddWatch(c.fd, dir, mask)
	if err != nil {
		return err
	}
	c.dirs[int32(wd)] = dir
	return nil
}

// events returns what happened in the tree since the last call, as
// "OPEN path" lines.
func (c *canaries) events() []string {
	var out []string
	buf := make([]byte, 64<<10)
	for {
		n, err := syscall.Read(c.fd, buf)
		if n <= 0 || err != nil {
			return out
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := ""
			if ev.Len > 0 {
				raw := buf[off+syscall.SizeofInotifyEvent : off+syscall.SizeofInotifyEvent+int(ev.Len)]
				name = strings.TrimRight(string(raw), "\x00")
			}
			off += syscall.SizeofInotifyEvent + int(ev.Len)
			out = append(out, eventName(ev.Mask)+" "+filepath.Join(c.dirs[ev.Wd], name))
		}
	}
}

func eventName(mask uint32) string {
	var parts []string
	for _, m := range []struct {
		bit  uint32
		name string
	}{{syscall.IN_OPEN, "OPEN"}, {syscall.IN_MODIFY, "MODIFY"}, {syscall.IN_ATTRIB, "ATTRIB"},
		{syscall.IN_CREATE, "CREATE"}, {syscall.IN_DELETE, "DELETE"}, {syscall.IN_MOVED_FROM, "MOVED_FROM"},
		{syscall.IN_MOVED_TO, "MOVED_TO"}, {syscall.IN_DELETE_SELF, "DELETE_SELF"}, {syscall.IN_IGNORED, "IGNORED"}} {
		if mask&m.bit != 0 {
			parts = append(parts, m.name)
		}
	}
	return strings.Join(parts, "|")
}
