package main

import (
	"os"
	"testing"

	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
)

var dynaliteURL string

func TestMain(m *testing.M) { os.Exit(dynalitetest.Main(m, &dynaliteURL)) }

func newTable(t *testing.T) string { return dynalitetest.Table(t, dynaliteURL, "loader") }
