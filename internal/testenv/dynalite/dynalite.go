// Package dynalite runs dynalite, a DynamoDB implementation on LevelDB
// installed from npm into tools/node_modules, on a free loopback port, for
// tests and local development.
package dynalite

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/localdb"
)

// Server is a running dynalite.
type Server = localdb.Server

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

// Start runs dynalite in memory on a free 127.0.0.1 port and waits until
// it accepts connections.
func Start() (*Server, error) {
	bin, err := Bin()
	if err != nil {
		return nil, err
	}
	cli := filepath.Join(filepath.Dir(filepath.Dir(bin)), "dynalite", "cli.js")
	return localdb.Start("dynalite", func(port int) *exec.Cmd {
		return exec.Command("node", "-e", survivesAbortedRequests, cli, "--host", "127.0.0.1", "--port", strconv.Itoa(port),
			"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
	}, 15*time.Second)
}

// survivesAbortedRequests runs dynalite's command line (the first argument)
// so that a client that goes away in the middle of a request does not stop
// it: dynalite throws the request's "aborted" error, which would end the
// process, and with it every other client's table. The loader tests kill a
// loader mid-request on purpose.
const survivesAbortedRequests = `
const cli = process.argv[1];
process.on('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) return;
  console.error(err);
  process.exit(1);
});
require(cli);
`

// Client returns a DynamoDB client for a local endpoint.
func Client(ctx context.Context, url string, opts ...func(*dynamodb.Options)) (*dynamodb.Client, error) {
	return dynamo.NewEnvClient(url, opts...)
}
