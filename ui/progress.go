package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kurultai/data"
	"kurultai/sessions/msg"
	"kurultai/ui/i18n"
)

// NewProgress returns a progress display for imports on w: a bar redrawn
// in place when w is a terminal (files, records a second, time left), and
// plain lines at most once a second otherwise.
func NewProgress(w io.Writer, tty bool, width int, tr *i18n.Printer) func(data.ImportProgress) {
	var lastLine time.Time
	return func(p data.ImportProgress) {
		rate := 0.0
		if s := p.Elapsed.Seconds(); s > 0 {
			rate = float64(p.Records) / s
		}
		eta := ""
		if p.BytesDone > 0 && p.BytesDone < p.Bytes && !p.Done {
			left := time.Duration(float64(p.Elapsed) * float64(p.Bytes-p.BytesDone) / float64(p.BytesDone))
			eta = " · " + tr.T("about %s left", left.Round(time.Second).String())
		}
		text := tr.T("%d/%d files · %d records · %d records/s", p.FilesDone, p.Files, p.Records, int64(rate)) + eta
		if !tty {
			if p.Done || p.FilesDone > 0 && time.Since(lastLine) >= time.Second {
				lastLine = time.Now()
				fmt.Fprintln(w, "import: "+text)
			}
			return
		}
		frac := 1.0
		if p.Bytes > 0 {
			frac = float64(p.BytesDone) / float64(p.Bytes)
		}
		barW := 24
		filled := int(frac * float64(barW))
		bar := "[" + strings.Repeat("█", filled) + strings.Repeat("░", barW-filled) + "] "
		cur := ""
		if !p.Done && p.Current != "" {
			cur = " · " + SanitizeLine(filepath.Base(p.Current))
		}
		line := ansi.Truncate(bar+text+cur, max(width-1, 20), "…")
		fmt.Fprint(w, "\r\x1b[2K"+line)
		if p.Done {
			fmt.Fprintln(w)
		}
	}
}

// Thousands formats a count for people: 12,408.
func Thousands(n int64) string { return data.Thousands(n) }

// NewStepProgress draws a long step, such as an archive upgrade: a bar
// redrawn in place on a terminal, elsewhere a line every few seconds,
// each beginning with what (upgrade, sync).
func NewStepProgress(w io.Writer, tty bool, width int, what string, tr *i18n.Printer) data.Progress {
	start := time.Now()
	var lastLine time.Time
	last := ""
	return func(step msg.Text, done, total int) {
		stage := tr.M(step)
		frac := 1.0
		if total > 0 {
			frac = float64(done) / float64(total)
		}
		eta := ""
		if el := time.Since(start); done > 0 && done < total {
			eta = " · " + tr.T("about %s left", time.Duration(float64(el)*(1-frac)/frac).Round(time.Second).String())
		}
		text := fmt.Sprintf("%s · %.0f%%%s", stage, 100*frac, eta)
		if !tty {
			if done == total || stage != last || time.Since(lastLine) >= 5*time.Second {
				lastLine, last = time.Now(), stage
				fmt.Fprintln(w, what+": "+text)
			}
			return
		}
		if time.Since(lastLine) < 100*time.Millisecond && done < total {
			return
		}
		lastLine = time.Now()
		barW := 24
		filled := int(frac * float64(barW))
		bar := "[" + strings.Repeat("█", filled) + strings.Repeat("░", barW-filled) + "] "
		fmt.Fprint(w, "\r\x1b[2K"+ansi.Truncate(bar+text, max(width-1, 20), "…"))
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
