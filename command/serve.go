package command

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"kurultai/server"
	"kurultai/sessions/msg"
	"kurultai/ui/cli"
)

// runServe hosts the archive over SSH until interrupted. Remote commands
// are the table's remote subset, run by RunRemote.
func runServe(ctx context.Context, inv *Invocation) error {
	if err := noArgs(inv, "serve"); err != nil {
		return err
	}
	sc := inv.Serve
	if sc.MaxSessions < 1 || sc.MaxStartups < 1 || sc.MaxStartupsPerAddress < 1 {
		return cli.UsageError{Msg: msg.T("--max-sessions, --max-startups and --max-startups-per-address must be at least 1")}
	}
	if sc.IdleTimeout < 0 || sc.MaxSessionTime < 0 || sc.LoginGraceTime <= 0 {
		return cli.UsageError{Msg: msg.T("the timeouts may not be negative, and --login-grace-time must be more than 0")}
	}
	db, err := cli.OpenArchive(ctx, inv.Opts, inv.Env) // builds the sample when no --archive is given
	if err != nil {
		return err
	}
	sc.Archive = db.Path()
	db.Close()
	if sc.DataDir == "" {
		sc.DataDir = filepath.Join(filepath.Dir(sc.Archive), "server")
	}
	sc.Theme, sc.Lang = inv.Opts.Style, inv.Opts.Lang
	sc.Log = slog.New(slog.NewTextHandler(inv.Env.Stderr, nil))
	sc.Command = RunRemote
	srv, err := server.New(ctx, sc)
	if err != nil {
		return err
	}
	// SIGHUP moves the server to its archive file as it is now, as the
	// file being replaced does.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				srv.Reload(ctx)
			}
		}
	}()
	return srv.ListenAndServe(ctx)
}
