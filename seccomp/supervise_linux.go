package seccomp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// Handler decides what a notified call returns. Handle is called once
// per notification, possibly from several goroutines at once; the
// supervisor sends the Response it returns. Read the target's memory
// only with l.ReadMem and l.ReadString, which check the notification is
// still valid. ctx ends when the supervisor stops.
type Handler interface {
	Handle(ctx context.Context, l *Listener, n *Notif) Response
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, l *Listener, n *Notif) Response

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, l *Listener, n *Notif) Response {
	return f(ctx, l, n)
}

// DefaultWorkers is how many notifications a Supervisor handles at once
// when Workers is 0.
const DefaultWorkers = 16

// Supervisor serves a listener's notifications with a Handler.
type Supervisor struct {
	Handler Handler
	// Workers bounds the handlers running at once (DefaultWorkers if 0).
	// Notifications beyond it wait in the kernel.
	Workers int
	// OnError, if set, is told about a response the kernel refused for a
	// reason other than the target having gone (ErrNotifGone, which is
	// normal and not reported). The call is then answered with ENOSYS
	// so that the target does not hang.
	OnError func(n *Notif, r Response, err error)
}

// Supervise serves l with h until ctx ends (it returns ctx's error), the
// listener is closed (ErrListenerClosed) or no task uses the filter any
// more (nil). Every notification it receives is answered exactly once,
// and it returns only when all its handlers have returned.
func Supervise(ctx context.Context, l *Listener, h Handler) error {
	return (&Supervisor{Handler: h}).Run(ctx, l)
}

// Run is Supervise with s's settings.
func (s *Supervisor) Run(ctx context.Context, l *Listener) error {
	if s.Handler == nil {
		return errors.New("seccomp: Supervisor without a Handler")
	}
	if l == nil {
		return errors.New("seccomp: Supervise: nil Listener")
	}
	workers := s.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	ctx, cancel := context.WithCancel(ctx)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	defer func() {
		cancel() // tell running handlers, then wait for their answers
		wg.Wait()
	}()
	for {
		// Take a worker slot before receiving, so that a received
		// notification is always handled at once.
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		n, err := l.Receive(ctx)
		if err != nil {
			<-sem
			if errors.Is(err, ErrNoTargets) {
				return nil
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s.serve(ctx, l, n)
		}()
	}
}

func (s *Supervisor) serve(ctx context.Context, l *Listener, n *Notif) {
	r := s.Handler.Handle(ctx, l, n)
	err := l.Respond(n.ID, r)
	if err == nil || errors.Is(err, ErrNotifGone) || errors.Is(err, ErrListenerClosed) {
		return
	}
	if s.OnError != nil {
		s.OnError(n, r, err)
	}
	// The kernel did not take the answer: do not leave the target blocked.
	if err2 := l.Respond(n.ID, ReturnErrno(syscall.ENOSYS)); err2 != nil && s.OnError != nil &&
		!errors.Is(err2, ErrNotifGone) && !errors.Is(err2, ErrListenerClosed) {
		s.OnError(n, ReturnErrno(syscall.ENOSYS), fmt.Errorf("fallback answer: %w", err2))
	}
}

// StartSupervisor takes ownership of the listener file f (as NewListener)
// and serves it with h in the background. stop ends the service and
// closes the listener: any task still using the filter (a child the
// command left behind) then gets ENOSYS from its notified calls. stop
// waits for the handlers and returns what ended the service early, or
// nil; call it once the command has exited.
func StartSupervisor(f *os.File, h Handler) (stop func() error, err error) {
	if h == nil {
		f.Close()
		return nil, errors.New("seccomp: StartSupervisor without a Handler")
	}
	l, err := NewListener(f)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Supervise(ctx, l, h) }()
	var once sync.Once
	var result error
	return func() error {
		once.Do(func() {
			cancel()
			err := <-done
			if cerr := l.Close(); cerr != nil && !errors.Is(cerr, ErrListenerClosed) && err == nil {
				err = cerr
			}
			if errors.Is(err, context.Canceled) {
				err = nil // stopped by stop
			}
			result = err
		})
		return result
	}, nil
}
