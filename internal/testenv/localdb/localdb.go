// Package localdb runs a local DynamoDB implementation (dynalite, moto) as
// a child process on a free loopback port, for tests and local development.
package localdb

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// Server is a running local DynamoDB.
type Server struct {
	URL     string
	LogPath string // the server's output, kept for diagnosis
	name    string
	cmd     *exec.Cmd
}

// FreePort asks the kernel for a free loopback port. Another process may
// take it before a server binds it: Start retries in that case, and so
// should other callers.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }() // only its port was wanted
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start runs the command that command returns for a free 127.0.0.1 port,
// in a process group of its own, and waits up to ready until the port
// accepts connections.
func Start(name string, command func(port int) *exec.Cmd, ready time.Duration) (*Server, error) {
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		cmd := command(port)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // stop it and anything it starts
		logFile, err := os.CreateTemp("", name+"-*.log")
		if err != nil {
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = logFile, logFile
		err = cmd.Start()
		_ = logFile.Close() // the child writes the log through its own descriptor
		if err != nil {
			_ = os.Remove(logFile.Name())
			return nil, fmt.Errorf("starting %s: %w", name, err)
		}
		s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), name: name, cmd: cmd, LogPath: logFile.Name()}
		if lastErr = s.wait(port, ready); lastErr == nil {
			return s, nil
		}
		s.Close()
		_ = os.Remove(s.LogPath)
	}
	return nil, fmt.Errorf("%s did not start: %w", name, lastErr)
}

func (s *Server) wait(port int, timeout time.Duration) error {
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("%s exited: %v", s.name, err)
		default:
		}
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		if err == nil {
			// The connection only probed the port.
			_ = c.Close()
			go func() { <-exited }() //nolint:errcheck // reaps the process; Close kills it, so its exit error is expected
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no answer on port %d within %s", port, timeout)
}

// Close stops the server and everything it started.
func (s *Server) Close() {
	if s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
}
