package publish

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/release"
)

// PhysicalID names the Custom::DatasetRelease resource. It never changes,
// so that an update (a new dataset version) is never mistaken by
// CloudFormation for a replacement, which would send a Delete for the old
// one.
const PhysicalID = "jcdd-dataset-release"

// Deploy is the stack's Custom::DatasetRelease resource: on every deploy it
// publishes the releases embedded in the loader function.
type Deploy struct {
	Loader   *Loader
	Releases []*dataset.Release // oldest first
	// Bucket receives the bundles; nil uploads nothing (tests of the table
	// alone).
	Bucket *Bucket

	built *release.Set // the releases' bundles and changes, built on first use
}

// Handle answers one CloudFormation request (cfn.LambdaWrap sends the
// answer).
//
//   - Create and Update first publish the bundle (zip) of every embedded
//     release to the bundle bucket, unless it is there already with the
//     same bytes; a bundle there with other bytes fails the deploy before
//     the table is touched, since a published download never changes. Then
//     they load every embedded release (those already in the table are
//     only checked), describing each one's bundle, and activate the one
//     named by the resource's ReleaseVersion property. If that fails, the
//     deploy fails and the previous release stays current, because
//     activation is the last step.
//   - On a rollback, CloudFormation sends an Update with the old properties:
//     the old version is already in the table and is activated again, even
//     if this binary does not embed it.
//   - Delete answers at once and keeps the data: the table is retained with
//     the stack's deletion, and a slow or failing delete would leave the
//     stack hanging for an hour.
func (r *Deploy) Handle(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
	if ev.RequestType == cfn.RequestDelete {
		return PhysicalID, nil, nil
	}
	version, _ := ev.ResourceProperties["ReleaseVersion"].(string)
	if !dataset.IsVersion(version) {
		return PhysicalID, nil, fmt.Errorf("ReleaseVersion %q is not a release version", version)
	}
	// Answer before Lambda's deadline, so that CloudFormation hears a
	// failure instead of waiting for a response that never comes.
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-10*time.Second))
		defer cancel()
	}
	if r.built == nil {
		built, err := release.BuildAll(r.Releases)
		if err != nil {
			return PhysicalID, nil, err
		}
		r.built = built
	}
	uploaded, uploadedDBs := 0, 0
	if r.Bucket != nil {
		for _, rel := range r.Releases {
			b := r.built.Get(rel.Info.Version)
			up, err := r.Bucket.PutBundle(ctx, rel.Info.Version, b.Zip)
			if err != nil {
				return PhysicalID, nil, fmt.Errorf("publishing the bundle of release %s: %w", rel.Info.Version, err)
			}
			if up {
				uploaded++
			}
			// The database beside the zip, before the index that
			// describes it is loaded.
			up, err = r.Bucket.PutDatabase(ctx, rel.Info.Version, b.SQLite)
			if err != nil {
				return PhysicalID, nil, fmt.Errorf("publishing the database of release %s: %w", rel.Info.Version, err)
			}
			if up {
				uploadedDBs++
			}
		}
	}
	r.Loader.Bundle, r.Loader.Pages = r.built.Describe, r.built.Pages
	embedded := false
	items := 0
	for _, rel := range r.Releases {
		sum, err := r.Loader.Load(ctx, rel, false)
		if err != nil {
			return PhysicalID, nil, fmt.Errorf("loading release %s: %w", rel.Info.Version, err)
		}
		if rel.Info.Version == version {
			embedded, items = true, sum.Items
		}
	}
	prev, err := r.Loader.Activate(ctx, version)
	if err != nil {
		return PhysicalID, nil, err
	}
	return PhysicalID, map[string]any{
		"Version": version, "Previous": prev, "Items": items, "Embedded": embedded, "BundlesUploaded": uploaded, "DatabasesUploaded": uploadedDBs,
	}, nil
}
