package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// procs tracks the servers a run starts, so that every one is stopped (by
// its own process group, never by name) however the run ends.
type procs struct {
	mu   sync.Mutex
	cmds map[*exec.Cmd]chan struct{} // closed when the command has exited
}

// start starts a command in its own process group, with its output in a
// log file.
func (p *procs) start(log string, env []string, name string, args ...string) (*exec.Cmd, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		_ = f.Close() // nothing was written to the log
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	done := make(chan struct{})
	p.mu.Lock()
	if p.cmds == nil {
		p.cmds = map[*exec.Cmd]chan struct{}{}
	}
	p.cmds[cmd] = done
	p.mu.Unlock()
	go func() { _ = cmd.Wait(); _ = f.Close(); close(done) }() // the child wrote the log through its own descriptor
	return cmd, nil
}

// stop stops one command and its children: SIGTERM to its process group,
// SIGKILL if it has not exited within three seconds.
func (p *procs) stop(cmd *exec.Cmd) {
	p.mu.Lock()
	done, ok := p.cmds[cmd]
	delete(p.cmds, cmd)
	p.mu.Unlock()
	if !ok {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// stopAll stops every command still running.
func (p *procs) stopAll() {
	p.mu.Lock()
	var cmds []*exec.Cmd
	for c := range p.cmds {
		cmds = append(cmds, c)
	}
	p.mu.Unlock()
	for _, c := range cmds {
		p.stop(c)
	}
}

// waitHTTP waits until url answers with any status.
func waitHTTP(url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer within %s: %w", url, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitPort waits until something listens on a loopback port.
func waitPort(port int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 100*time.Millisecond)
		if err == nil {
			_ = c.Close() // the connection only probed the port
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listens on port %d after %s", port, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// output runs a command to completion and returns its standard output; its
// standard error goes to ours (progress of go test and make), and a failure
// includes the output's end.
func output(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	if err != nil {
		tail := out.String()
		if len(tail) > 3000 {
			tail = tail[len(tail)-3000:]
		}
		return out.String(), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail)
	}
	return out.String(), nil
}

// repoRoot finds the directory of go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run tools/bench inside the repository")
		}
		dir = parent
	}
}

// tail returns the last lines of a log file, for error messages.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer func() { _ = f.Close() }() // read only
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}
