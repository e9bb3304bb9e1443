// Package dynalite runs dynalite, a DynamoDB implementation on LevelDB
// installed from npm into tools/node_modules, on a free loopback port, for
// tests and local development.
package dynalite

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/internal/store/dynamo"
)

// Server is a running dynalite.
type Server struct {
	URL     string
	LogPath string // dynalite's output, kept for diagnosis
	cmd     *exec.Cmd
}

// ErrMissing is returned when dynalite is not installed.
var ErrMissing = errors.New("dynalite is not installed: run make tools (npm ci in tools/)")

// Bin returns the path of the dynalite executable in tools/node_modules.
func Bin() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			bin := filepath.Join(dir, "tools", "node_modules", ".bin", "dynalite")
			if _, err := os.Stat(bin); err != nil {
				return "", ErrMissing
			}
			return bin, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// freePort asks the kernel for a free loopback port. Another process may
// take it before dynalite binds it; Start retries in that case.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start runs dynalite in memory on a free 127.0.0.1 port and waits until
// it accepts connections.
func Start() (*Server, error) {
	bin, err := Bin()
	if err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
			"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // stop node and anything it starts
		logFile, err := os.CreateTemp("", "dynalite-*.log")
		if err != nil {
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("starting dynalite: %w", err)
		}
		s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, LogPath: logFile.Name()}
		if lastErr = s.wait(port, 15*time.Second); lastErr == nil {
			return s, nil
		}
		s.Close()
	}
	return nil, fmt.Errorf("dynalite did not start: %w", lastErr)
}

func (s *Server) wait(port int, timeout time.Duration) error {
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("dynalite exited: %v", err)
		default:
		}
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			go func() { <-exited }()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no answer on port %d within %s", port, timeout)
}

// Close stops dynalite and everything it started.
func (s *Server) Close() {
	if s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
}

// Client returns a DynamoDB client for a local endpoint.
func Client(ctx context.Context, url string, opts ...func(*dynamodb.Options)) (*dynamodb.Client, error) {
	return dynamo.NewEnvClient(url, opts...)
}
