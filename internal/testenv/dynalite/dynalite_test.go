package dynalite_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/internal/testenv/dynalite"
)

// A client that goes away in the middle of a request (a loader killed
// mid-load) must not stop dynalite: it would take every other client's
// tables with it. dynalite alone throws on such a request and exits.
func TestSurvivesAnAbortedRequest(t *testing.T) {
	db, err := dynalite.Start()
	if errors.Is(err, dynalite.ErrMissing) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := url.Parse(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		// Headers that promise a body, half of it, then gone.
		_, _ = conn.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n\r\n{\"Limit\":"))
		time.Sleep(50 * time.Millisecond)
		_ = conn.Close()
	}
	time.Sleep(200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := dynalite.Client(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
		t.Fatalf("dynalite no longer answers after an aborted request: %v", err)
	}
}
