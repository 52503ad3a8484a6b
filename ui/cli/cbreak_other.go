//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cli

import "kurultai/sessions/msg"

func keysAsTyped(int) (func(), error) {
	return nil, msg.New("the accessible mode needs a Unix terminal here")
}
