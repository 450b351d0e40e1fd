// Package synctest runs the real caunoi program for the tests that need a
// process of their own: the crash test (the server killed with SIGKILL
// while phones sync, on SQLite and PostgreSQL) and the load test (100
// simulated users on loopback). This file is their harness: it builds the
// binary, starts and kills it, and reads what the kernel says of it.
//
// Under `go test ./...` both run short (a few kills; the load test only
// when asked); .ci/run runs them in full:
//
//	CAUNOI_CRASH_KILLS=100 go test -run TestCrash -v ./internal/synctest/
//	CAUNOI_LOAD_SECONDS=10 go test -run TestLoad -v ./internal/synctest/
package synctest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Build compiles cmd/caunoi into a temporary folder of the test and
// returns the binary's path.
func Build(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "caunoi")
	cmd := exec.Command("go", "build", "-o", bin, "caunoi/cmd/caunoi")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Server is a running `caunoi serve`.
type Server struct {
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	logs []string // the last lines of its standard error
}

var listening = regexp.MustCompile(`is listening on (http://\S+)`)

// Start runs `caunoi serve` on a free port of 127.0.0.1 over the database
// and keys given, and returns when it listens. The process is killed when
// the test ends, if it still runs.
func Start(tb testing.TB, bin, dbURL, keys string) *Server {
	tb.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dbURL, "--keys", keys)
	cmd.Env = append(os.Environ(), "CAUNOI_DATA="+filepath.Dir(keys))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	s := &Server{cmd: cmd, done: make(chan struct{})}
	go s.keepLogs(stderr)
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() {
		cmd.Wait()
		close(s.done)
	}()
	tb.Cleanup(s.Kill)
	select {
	case s.URL = <-urls:
		return s
	case <-s.done:
		tb.Fatalf("the server exited before listening:\n%s", s.Logs())
	case <-time.After(60 * time.Second):
		s.Kill()
		tb.Fatalf("the server did not listen within a minute:\n%s", s.Logs())
	}
	return nil
}

func (s *Server) keepLogs(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		s.mu.Lock()
		s.logs = append(s.logs, sc.Text())
		if len(s.logs) > 2000 {
			s.logs = s.logs[len(s.logs)-1000:]
		}
		s.mu.Unlock()
	}
}

// Logs returns the last lines the server wrote to its standard error.
func (s *Server) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.logs, "\n")
}

// Errors returns the lines of its log at level ERROR, or with a panic.
func (s *Server) Errors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, l := range s.logs {
		if strings.Contains(l, "level=ERROR") || strings.Contains(l, "panic") {
			out = append(out, l)
		}
	}
	return out
}

// Kill ends the server with SIGKILL, as a power cut or the OOM killer
// would, and waits until it is gone.
func (s *Server) Kill() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// Stop ends the server with SIGTERM (a clean shutdown) and waits.
func (s *Server) Stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.Kill()
	}
}

// Done is closed when the process has exited.
func (s *Server) Done() <-chan struct{} { return s.done }

// PID is the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// PeakRSS returns the most memory the process has held resident, in KiB
// (VmHWM), since it started or since ResetPeakRSS.
func (s *Server) PeakRSS() (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.PID()))
	if err != nil {
		return 0, fmt.Errorf("peak RSS: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return 0, fmt.Errorf("peak RSS: %q: %w", line, err)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("peak RSS: no VmHWM in /proc/%d/status", s.PID())
}

// ResetPeakRSS starts counting the peak anew (Linux: clear_refs 5), so a
// measure leaves out what the set-up cost.
func (s *Server) ResetPeakRSS() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.PID()), []byte("5"), 0)
}

// EnvInt reads a whole number from the environment, or def.
func EnvInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		tb.Fatalf("%s=%q: want a whole number", name, v)
	}
	return n
}
