package publish_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
)

// fakeS3 is a bucket in memory that answers as S3 does: 404 (or 403 without
// s3:ListBucket) for a missing key, 412 for a conditional put over an
// existing object, and the SHA-256 checksum an object was uploaded with.
type fakeS3 struct {
	mu      sync.Mutex
	objects map[string]*fakeObject
	// noList answers HeadObject of a missing key with 403, as S3 does for
	// a caller without s3:ListBucket.
	noList bool
	// hideFromHead answers that many HeadObject calls with 403 even when
	// the object exists: another deploy racing this one.
	hideFromHead int
	puts, gets   int
}

type fakeObject struct {
	body                                []byte
	checksum                            string // base64, as S3 keeps it
	contentType, cacheControl, filename string
	meta                                map[string]string
}

func newFakeS3() *fakeS3 { return &fakeS3{objects: map[string]*fakeObject{}} }

func s3Error(code string) error { return &smithy.GenericAPIError{Code: code, Message: code} }

func (f *fakeS3) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)]
	if f.hideFromHead > 0 {
		f.hideFromHead--
		return nil, s3Error("AccessDenied")
	}
	if o == nil {
		if f.noList {
			return nil, s3Error("AccessDenied")
		}
		return nil, &s3types.NotFound{Message: aws.String("Not Found")}
	}
	out := &s3.HeadObjectOutput{ContentLength: aws.Int64(int64(len(o.body))), Metadata: o.meta}
	if in.ChecksumMode == s3types.ChecksumModeEnabled && o.checksum != "" {
		out.ChecksumSHA256 = aws.String(o.checksum)
	}
	return out, nil
}

func (f *fakeS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	o := f.objects[aws.ToString(in.Bucket)+"/"+aws.ToString(in.Key)]
	if o == nil {
		return nil, &s3types.NoSuchKey{}
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(o.body))}, nil
}

func (f *fakeS3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	body, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k := aws.ToString(in.Bucket) + "/" + aws.ToString(in.Key)
	if aws.ToString(in.IfNoneMatch) == "*" && f.objects[k] != nil {
		return nil, s3Error("PreconditionFailed")
	}
	sum := sha256.Sum256(body)
	if c := aws.ToString(in.ChecksumSHA256); c != "" && c != base64.StdEncoding.EncodeToString(sum[:]) {
		return nil, s3Error("BadDigest")
	}
	f.puts++
	f.objects[k] = &fakeObject{
		body: body, checksum: aws.ToString(in.ChecksumSHA256), meta: in.Metadata,
		contentType: aws.ToString(in.ContentType), cacheControl: aws.ToString(in.CacheControl), filename: aws.ToString(in.ContentDisposition),
	}
	return &s3.PutObjectOutput{}, nil
}

// put stores an object as another tool would: no checksum, no metadata.
func (f *fakeS3) put(key string, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objects["bundles/"+key] = &fakeObject{body: body}
}

func (f *fakeS3) object(key string) *fakeObject {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.objects["bundles/"+key]
}

func TestPublishUploadsABundleOnce(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3()
	p := publish.NewBucket(f, "bundles", nil)
	zip := []byte("PK the bundle of 1.0.0")
	up, err := p.PutBundle(ctx, "1.0.0", zip)
	if err != nil || !up {
		t.Fatalf("first publish: uploaded %v, %v", up, err)
	}
	o := f.object("releases/jcdd-1.0.0.zip")
	if o == nil || !bytes.Equal(o.body, zip) {
		t.Fatalf("the object is not the bundle: %+v", o)
	}
	if o.contentType != "application/zip" || o.cacheControl != "public, max-age=31536000, immutable" ||
		o.filename != `attachment; filename="jcdd-1.0.0.zip"` || o.meta["sha256"] != dataset.Checksum(zip) || o.checksum == "" {
		t.Errorf("object headers: %+v", o)
	}
	// Again: the checksum S3 keeps says it is there; nothing is read or
	// written.
	up, err = p.PutBundle(ctx, "1.0.0", zip)
	if err != nil || up || f.puts != 1 || f.gets != 0 {
		t.Errorf("second publish: uploaded %v, %v; %d puts, %d gets", up, err, f.puts, f.gets)
	}
	// Other bytes under a published name fail, and leave the object alone.
	_, err = p.PutBundle(ctx, "1.0.0", []byte("PK rebuilt with other bytes"))
	if !errors.Is(err, publish.ErrBundleDiffers) || !strings.Contains(err.Error(), "s3://bundles/releases/jcdd-1.0.0.zip") {
		t.Errorf("other bytes: %v, want publish.ErrBundleDiffers naming the object", err)
	}
	if !bytes.Equal(f.object("releases/jcdd-1.0.0.zip").body, zip) || f.puts != 1 {
		t.Error("the published bundle was replaced")
	}
}

func TestPublishComparesObjectsWithoutChecksum(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3()
	p := publish.NewBucket(f, "bundles", nil)
	zip := []byte("PK uploaded by hand")
	f.put("releases/jcdd-1.0.0.zip", zip)
	if up, err := p.PutBundle(ctx, "1.0.0", zip); err != nil || up || f.gets != 1 {
		t.Errorf("same bytes: uploaded %v, %v, %d gets (want the object read and hashed)", up, err, f.gets)
	}
	if _, err := p.PutBundle(ctx, "1.0.0", []byte("PK other")); !errors.Is(err, publish.ErrBundleDiffers) {
		t.Errorf("other bytes: %v", err)
	}
}

// TestPublishWithoutListPermission: S3 answers 403 for a missing key to a
// caller without s3:ListBucket, and a racing deploy may create the object
// between the check and the upload; the conditional upload never replaces
// it.
func TestPublishWithoutListPermission(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3()
	f.noList = true
	p := publish.NewBucket(f, "bundles", nil)
	zip := []byte("PK the bundle")
	if up, err := p.PutBundle(ctx, "1.0.0", zip); err != nil || !up {
		t.Fatalf("missing object behind a 403: uploaded %v, %v", up, err)
	}
	f.hideFromHead = 1
	if up, err := p.PutBundle(ctx, "1.0.0", zip); err != nil || up {
		t.Errorf("same bytes, hidden at first: uploaded %v, %v", up, err)
	}
	f.hideFromHead = 1
	if _, err := p.PutBundle(ctx, "1.0.0", []byte("PK other")); !errors.Is(err, publish.ErrBundleDiffers) {
		t.Errorf("other bytes, hidden at first: %v", err)
	}
	if !bytes.Equal(f.object("releases/jcdd-1.0.0.zip").body, zip) {
		t.Error("the published bundle was replaced")
	}
}
