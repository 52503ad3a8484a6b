//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cli

import "errors"

func keysAsTyped(int) (func(), error) {
	return nil, msg.New("the accessible mode needs a Unix terminal here")
}
