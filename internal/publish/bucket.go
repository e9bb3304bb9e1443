package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/jcdd/jcdd/internal/export"
)

// ObjectAPI is the part of the S3 client a Bucket uses. (HeadObject is
// authorized by s3:GetObject.)
type ObjectAPI interface {
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// bundlePrefix is the folder of the bucket that holds the bundles; the
// bundle distribution serves it, and the API's JCDD_BUNDLE_BASE_URL ends in
// it.
const bundlePrefix = "releases/"

// ErrBundleDiffers is returned when the bucket already holds a file of a
// release with other bytes.
var ErrBundleDiffers = errors.New("a published bundle is never replaced")

// Bucket uploads release bundles to the bundle bucket, each once: a
// bundle already there with the same SHA-256 is left alone, and one with
// other bytes fails the deploy (a download link must never silently change).
type Bucket struct {
	s3     ObjectAPI
	bucket string
	log    *slog.Logger
}

// NewBucket returns the bundle bucket named bucket, reached through c.
func NewBucket(c ObjectAPI, bucket string, log *slog.Logger) *Bucket {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Bucket{s3: c, bucket: bucket, log: log}
}

// PutBundle makes sure that s3://bucket/releases/jcdd-<version>.zip holds
// zip, and reports whether it uploaded it.
func (p *Bucket) PutBundle(ctx context.Context, version string, zip []byte) (bool, error) {
	return p.publishFile(ctx, version, export.BundleName(version), "application/zip", zip)
}

// PutDatabase makes sure that s3://bucket/releases/jcdd-<version>.sqlite
// holds db, the release's SQLite database, beside its zip; it is never
// replaced either.
func (p *Bucket) PutDatabase(ctx context.Context, version string, db []byte) (bool, error) {
	return p.publishFile(ctx, version, export.DatabaseName(version), "application/vnd.sqlite3", db)
}

// publishFile makes sure that s3://bucket/releases/<name> holds data, and
// reports whether it uploaded it.
func (p *Bucket) publishFile(ctx context.Context, version, name, mediaType string, data []byte) (bool, error) {
	key := bundlePrefix + name
	where := "s3://" + p.bucket + "/" + key
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])
	have, found, err := p.published(ctx, key)
	if err != nil {
		return false, err
	}
	if !found {
		_, err := p.s3.PutObject(ctx, &s3.PutObjectInput{
			Bucket:             aws.String(p.bucket),
			Key:                aws.String(key),
			Body:               bytes.NewReader(data),
			ContentLength:      aws.Int64(int64(len(data))),
			ContentType:        aws.String(mediaType),
			ContentDisposition: aws.String(fmt.Sprintf(`attachment; filename="%s"`, name)),
			CacheControl:       aws.String("public, max-age=31536000, immutable"),
			// S3 checks the bytes against it and keeps it: HeadObject
			// gives it back, so later deploys compare without a download.
			ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
			Metadata:       map[string]string{"sha256": want},
			// Never replace an object: if one appeared since HeadObject
			// (another deploy), S3 answers 412 and it is compared below.
			IfNoneMatch: aws.String("*"),
		})
		if err == nil {
			p.log.Info("release file published", "release", version, "object", where, "sha256", want, "bytes", len(data))
			return true, nil
		}
		if status(err) != http.StatusPreconditionFailed {
			return false, fmt.Errorf("uploading %s: %w", where, err)
		}
		if have, found, err = p.published(ctx, key); err != nil {
			return false, err
		}
		if !found {
			return false, fmt.Errorf("uploading %s: S3 says it exists, but it cannot be read", where)
		}
	}
	if have != want {
		return false, fmt.Errorf("%s already holds a file of release %s with SHA-256 %s, but this build's has %s: %w; deploy a build whose files are the published ones, or publish the data as a new version", where, version, have, want, ErrBundleDiffers)
	}
	p.log.Info("release file already published", "release", version, "object", where, "sha256", want)
	return false, nil
}

// published returns the SHA-256 (hex) of the object at key, and whether it
// exists. The checksum is the one S3 verified at upload when the object has
// one; otherwise (an object uploaded another way) the object is read and
// hashed.
func (p *Bucket) published(ctx context.Context, key string) (string, bool, error) {
	where := "s3://" + p.bucket + "/" + key
	head, err := p.s3.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(p.bucket), Key: aws.String(key), ChecksumMode: s3types.ChecksumModeEnabled,
	})
	switch status(err) {
	case 0:
	case http.StatusNotFound:
		return "", false, nil
	case http.StatusForbidden:
		// Without s3:ListBucket, S3 answers 403 rather than 404 for a
		// missing key. Taken as missing: the upload that follows is
		// conditional, so an object that does exist is never replaced.
		return "", false, nil
	default:
		return "", false, fmt.Errorf("reading %s: %w", where, err)
	}
	if c := aws.ToString(head.ChecksumSHA256); c != "" && !strings.Contains(c, "-") {
		// A full-object checksum (a multipart upload's composite one ends
		// in -N and is not the file's SHA-256).
		if raw, err := base64.StdEncoding.DecodeString(c); err == nil && len(raw) == sha256.Size {
			return hex.EncodeToString(raw), true, nil
		}
	}
	obj, err := p.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(p.bucket), Key: aws.String(key)})
	if err != nil {
		return "", false, fmt.Errorf("reading %s: %w", where, err)
	}
	defer obj.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, obj.Body); err != nil {
		return "", false, fmt.Errorf("reading %s: %w", where, err)
	}
	return hex.EncodeToString(h.Sum(nil)), true, nil
}

// status is the HTTP status of a failed S3 call (0 for no error, or for
// an error that never got an answer).
func status(err error) int {
	if err == nil {
		return 0
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "NotFound", "NoSuchKey":
			return http.StatusNotFound
		case "PreconditionFailed":
			return http.StatusPreconditionFailed
		case "AccessDenied", "Forbidden":
			return http.StatusForbidden
		}
	}
	return -1
}
