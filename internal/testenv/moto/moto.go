// Package moto runs moto's DynamoDB (moto_server, a Python package that
// this project cannot install: it is part of the machine's image) on a free
// loopback port, as a second DynamoDB implementation beside dynalite. Unlike
// dynalite it implements TransactWriteItems.
package moto

import (
	"errors"
	"os/exec"
	"strconv"
	"time"

	"github.com/jcdd/jcdd/internal/testenv/localdb"
)

// Server is a running moto_server.
type Server = localdb.Server

// ErrMissing is returned when moto_server is not on the PATH.
var ErrMissing = errors.New("moto_server is not installed (moto 5.2.1 provides it; it cannot be installed by make)")

// Bin returns the path of moto_server.
func Bin() (string, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return "", ErrMissing
	}
	return bin, nil
}

// Start runs moto_server on a free 127.0.0.1 port and waits until it
// accepts connections. Python's imports make it slow to start (5-10 s on a
// busy machine), hence the long wait.
func Start() (*Server, error) {
	bin, err := Bin()
	if err != nil {
		return nil, err
	}
	return localdb.Start("moto", func(port int) *exec.Cmd {
		return exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	}, time.Minute)
}
