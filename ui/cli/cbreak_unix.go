//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cli

import "golang.org/x/sys/unix"

// keysAsTyped makes the terminal hand over each key as it is typed, without
// showing it, and leaves the rest as it was: a line feed still starts a
// new line (output is not raw), and ctrl+c still interrupts. The
// accessible mode reads keys so and writes whole lines. restore puts the
// terminal back.
func keysAsTyped(fd int) (restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return nil, err
	}
	t := *old
	t.Lflag &^= unix.ICANON | unix.ECHO
	// Enter comes as the CR it is, not as a line feed (ctrl+j).
	t.Iflag &^= unix.ICRNL
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, setTermios, &t); err != nil {
		return nil, err
	}
	return func() { _ = unix.IoctlSetTermios(fd, setTermios, old) }, nil
}
