package sdktest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/jcdd/jcdd/dataset"
	jcdd "github.com/jcdd/jcdd/sdk/go"
)

func loadDataset(t *testing.T) *dataset.Release {
	t.Helper()
	rel, err := dataset.Load()
	if err != nil {
		t.Fatalf("dataset.Load: %v", err)
	}
	return rel
}

// specOperationIDs returns the operationId of every operation in openapi.yaml.
func specOperationIDs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("parsing openapi.yaml: %v", err)
	}
	var ids []string
	for _, ops := range doc.Paths {
		for _, op := range ops {
			if op.OperationID != "" {
				ids = append(ids, op.OperationID)
			}
		}
	}
	sort.Strings(ids)
	return ids
}

// TestEveryOperation calls every operation of the spec once through the SDK
// and checks the typed answer against the dataset. It fails when the spec
// gains an operation that this table does not call.
func TestEveryOperation(t *testing.T) {
	rel := loadDataset(t)
	c := newClient(t)
	event, actor, program, source := rel.Events[0], rel.Actors[0], rel.Programs[0], rel.Sources[0]

	// Each call returns the response (for Check) and an error from sending.
	calls := map[string]func(ctx context.Context, t *testing.T) (jcdd.Response, error){
		"getHealth": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetHealthWithResponse(ctx)
			if err == nil && r.JSON200 != nil {
				if r.JSON200.Status != jcdd.HealthStatusOk || r.JSON200.Release != rel.Info.Version {
					t.Errorf("health = %+v, want ok and release %s", *r.JSON200, rel.Info.Version)
				}
			}
			return r, err
		},
		"listEvents": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.ListEventsWithResponse(ctx, &jcdd.ListEventsParams{Limit: new(int64(3))})
			if err == nil && r.JSON200 != nil {
				if len(r.JSON200.Items) != 3 || r.JSON200.NextCursor == nil {
					t.Errorf("limit=3: %d items, next_cursor %v; want 3 and a cursor", len(r.JSON200.Items), r.JSON200.NextCursor)
				}
				if r.JSON200.Meta.Release != rel.Info.Version {
					t.Errorf("meta.release = %q, want %q", r.JSON200.Meta.Release, rel.Info.Version)
				}
				if r.Headers200 == nil || r.Headers200.Link == nil || r.Headers200.ETag == nil {
					t.Errorf("headers = %+v, want Link and ETag", r.Headers200)
				}
				active := 0
				for _, e := range rel.Events {
					if !e.Withdrawn() {
						active++
					}
				}
				if m := r.JSON200.Meta; !m.TotalExact || m.Total == nil || *m.Total != int64(active) {
					t.Errorf("meta.total = %v (exact %v), want %d", m.Total, m.TotalExact, active)
				}
			}
			return r, err
		},
		"getEventFacets": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetEventFacetsWithResponse(ctx, &jcdd.GetEventFacetsParams{Tag: []string{"core"}})
			if err == nil && r.JSON200 != nil {
				want := map[string]int64{}
				var n int64
				for _, e := range rel.Events {
					if !e.Withdrawn() && slices.Contains(e.Tags, "core") {
						n++
						want[e.Confidence]++
					}
				}
				f := r.JSON200
				if !f.TotalExact || f.Total == nil || *f.Total != n || f.Facets == nil {
					t.Fatalf("tag=core: total %v (exact %v), want %d", f.Total, f.TotalExact, n)
				}
				got := map[string]int64{}
				for _, b := range f.Facets.Confidence {
					got[b.Value] = b.Count
				}
				if !maps.Equal(got, want) {
					t.Errorf("tag=core: confidence facet %v, want %v", got, want)
				}
			}
			return r, err
		},
		"getBudgetFacets": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetBudgetFacetsWithResponse(ctx, &jcdd.GetBudgetFacetsParams{Agency: []string{"jp-mod"}})
			if err == nil && r.JSON200 != nil {
				var n int64
				for _, b := range rel.Budgets {
					if !b.Withdrawn() && b.Agency == "jp-mod" {
						n++
					}
				}
				f := r.JSON200
				if f.Total == nil || *f.Total != n || f.Facets == nil || len(f.Facets.Agency) != 1 || f.Facets.Agency[0].Count != n {
					t.Errorf("agency=jp-mod: %+v, want %d lines", f, n)
				}
			}
			return r, err
		},
		"getEvent": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetEventWithResponse(ctx, event.ID, nil)
			if err == nil && r.JSON200 != nil {
				assertSameJSON(t, event.ID, event, *r.JSON200)
			}
			return r, err
		},
		"listActors": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.ListActorsWithResponse(ctx, &jcdd.ListActorsParams{Limit: new(int64(500))})
			if err == nil && r.JSON200 != nil {
				if got, want := len(r.JSON200.Items), countActive(rel.Actors, func(a dataset.Actor) bool { return a.Withdrawn() }); got != want {
					t.Errorf("%d actors, want %d", got, want)
				}
			}
			return r, err
		},
		"getActor": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetActorWithResponse(ctx, actor.ID, &jcdd.GetActorParams{Fields: new("id,name")})
			if err == nil && r.JSON200 != nil {
				a := r.JSON200
				if a.ID != actor.ID || a.Name == nil || a.Name.En != actor.Name.EN || a.Kind != nil {
					t.Errorf("fields=id,name: got %+v, want id %s and name %q only", *a, actor.ID, actor.Name.EN)
				}
			}
			return r, err
		},
		"listActorEvents": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			id := event.Actors[0].Actor
			r, err := c.ListActorEventsWithResponse(ctx, id, &jcdd.ListActorEventsParams{Limit: new(int64(500)), Status: new(jcdd.StatusFilterAll)})
			if err == nil && r.JSON200 != nil {
				var want []string
				for _, e := range rel.Events {
					if slices.ContainsFunc(e.Actors, func(a dataset.EventActor) bool { return a.Actor == id }) {
						want = append(want, e.ID)
					}
				}
				assertSameIDs(t, "events of "+id, eventIDs(r.JSON200.Items), want)
			}
			return r, err
		},
		"listBudgetLines": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.ListBudgetLinesWithResponse(ctx, &jcdd.ListBudgetLinesParams{
				Limit: new(int64(500)), Status: new(jcdd.StatusFilterAll),
			})
			if err == nil && r.JSON200 != nil {
				var got, want []string
				for _, b := range r.JSON200.Items {
					got = append(got, b.ID)
				}
				for _, b := range rel.Budgets {
					want = append(want, b.ID)
				}
				assertSameIDs(t, "budget lines", got, want)
			}
			return r, err
		},
		"getBudgetSummary": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetBudgetSummaryWithResponse(ctx, &jcdd.GetBudgetSummaryParams{Stage: []jcdd.BudgetStage{jcdd.BudgetStageInitial}})
			if err == nil && r.JSON200 != nil {
				if len(r.JSON200.Items) == 0 {
					t.Error("stage=initial: no totals")
				}
				for _, it := range r.JSON200.Items {
					if it.Stage != jcdd.BudgetStageInitial || it.CyberJpy <= 0 {
						t.Errorf("stage=initial: total %+v", it)
					}
				}
			}
			return r, err
		},
		"listPrograms": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.ListProgramsWithResponse(ctx, &jcdd.ListProgramsParams{Limit: new(int64(500)), Status: new(jcdd.StatusFilterAll)})
			if err == nil && r.JSON200 != nil {
				var got, want []string
				for _, p := range r.JSON200.Items {
					got = append(got, p.ID)
				}
				for _, p := range rel.Programs {
					want = append(want, p.ID)
				}
				assertSameIDs(t, "programs", got, want)
			}
			return r, err
		},
		"getProgram": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetProgramWithResponse(ctx, program.ID, nil)
			if err == nil && r.JSON200 != nil {
				assertSameJSON(t, program.ID, program, *r.JSON200)
			}
			return r, err
		},
		"listReleases": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.ListReleasesWithResponse(ctx, nil)
			if err == nil && r.JSON200 != nil {
				current := 0
				for _, it := range r.JSON200.Items {
					if it.Current {
						current++
						if it.Version != rel.Info.Version {
							t.Errorf("current release %s, want %s", it.Version, rel.Info.Version)
						}
					}
				}
				if current != 1 {
					t.Errorf("%d current releases, want 1", current)
				}
			}
			return r, err
		},
		"getRelease": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetReleaseWithResponse(ctx, "latest", nil)
			if err == nil && r.JSON200 != nil {
				if r.JSON200.Version != rel.Info.Version || r.JSON200.Counts.Events != int64(len(rel.Events)) {
					t.Errorf("latest = %s with %d events, want %s with %d", r.JSON200.Version, r.JSON200.Counts.Events, rel.Info.Version, len(rel.Events))
				}
			}
			return r, err
		},
		"getReleaseChanges": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			frozen, err := dataset.LoadFrozen(dataset.FrozenFS())
			if err != nil || len(frozen) < 2 {
				t.Fatalf("want two published releases: %v", err)
			}
			older, newer := frozen[0], frozen[len(frozen)-1]
			r, err := c.GetReleaseChangesWithResponse(ctx, newer.Info.Version, &jcdd.GetReleaseChangesParams{Since: older.Info.Version})
			if err == nil && r.JSON200 != nil {
				want, derr := dataset.Diff(older, newer)
				if derr != nil {
					t.Fatal(derr)
				}
				if got := r.JSON200.Events.Added; !slices.Equal(got, want.Kinds[0].Added) {
					t.Errorf("events added = %v, want %v", got, want.Kinds[0].Added)
				}
				if got := r.JSON200.Events.Withdrawn; !slices.Equal(got, want.Kinds[0].Withdrawn) {
					t.Errorf("events withdrawn = %v, want %v", got, want.Kinds[0].Withdrawn)
				}
			}
			return r, err
		},
		"downloadRelease": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.DownloadReleaseWithResponse(ctx, "latest", nil)
			if err == nil && r.StatusCode() == 200 {
				idx, ierr := c.GetReleaseWithResponse(ctx, "latest", nil)
				if ierr != nil || idx.JSON200 == nil || idx.JSON200.Bundle == nil {
					t.Fatalf("no bundle in the index: %v", ierr)
				}
				sum := sha256.Sum256(r.Body)
				if hex.EncodeToString(sum[:]) != idx.JSON200.Bundle.Sha256 {
					t.Errorf("the downloaded zip does not have the index's sha256")
				}
			}
			return r, err
		},
		"downloadReleaseDatabase": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.DownloadReleaseDatabaseWithResponse(ctx, "latest", nil)
			if err == nil && r.StatusCode() == 200 {
				idx, ierr := c.GetReleaseWithResponse(ctx, "latest", nil)
				if ierr != nil || idx.JSON200 == nil || idx.JSON200.Sqlite == nil {
					t.Fatalf("no database in the index: %v", ierr)
				}
				sum := sha256.Sum256(r.Body)
				if hex.EncodeToString(sum[:]) != idx.JSON200.Sqlite.Sha256 || !bytes.HasPrefix(r.Body, []byte("SQLite format 3\x00")) {
					t.Errorf("the downloaded database does not have the index's sha256")
				}
			}
			return r, err
		},
		"getReleaseFeed": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetReleaseFeedWithResponse(ctx, nil)
			if err == nil && r.StatusCode() == 200 {
				frozen, ferr := dataset.LoadFrozen(dataset.FrozenFS())
				if ferr != nil {
					t.Fatal(ferr)
				}
				for _, f := range frozen {
					if !bytes.Contains(r.Body, []byte("<title>jcdd "+f.Info.Version+"</title>")) {
						t.Errorf("the feed has no entry for release %s", f.Info.Version)
					}
				}
			}
			return r, err
		},
		"listSources": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.ListSourcesWithResponse(ctx, &jcdd.ListSourcesParams{Limit: new(int64(500)), Status: new(jcdd.StatusFilterAll)})
			if err == nil && r.JSON200 != nil {
				var got, want []string
				for _, s := range r.JSON200.Items {
					got = append(got, s.ID)
				}
				for _, s := range rel.Sources {
					want = append(want, s.ID)
				}
				assertSameIDs(t, "sources", got, want)
			}
			return r, err
		},
		"getSource": func(ctx context.Context, t *testing.T) (jcdd.Response, error) {
			r, err := c.GetSourceWithResponse(ctx, source.ID, nil)
			if err == nil && r.JSON200 != nil {
				assertSameJSON(t, source.ID, source, *r.JSON200)
			}
			return r, err
		},
	}

	specIDs := specOperationIDs(t)
	for id := range calls {
		if !slices.Contains(specIDs, id) {
			t.Errorf("the table calls %s, which openapi.yaml no longer has", id)
		}
	}
	for _, id := range specIDs {
		call := calls[id]
		if call == nil {
			t.Errorf("operation %s of openapi.yaml is not called through the SDK here: add it to the table", id)
			continue
		}
		t.Run(id, func(t *testing.T) {
			r, err := call(testContext(t), t)
			if err != nil {
				t.Fatalf("sending the request: %v", err)
			}
			if err := jcdd.Check(r); err != nil {
				t.Fatal(err)
			}
			if r.StatusCode() != 200 {
				t.Fatalf("status %d, want 200", r.StatusCode())
			}
		})
	}
}

func countActive[T any](records []T, withdrawn func(T) bool) int {
	n := 0
	for _, r := range records {
		if !withdrawn(r) {
			n++
		}
	}
	return n
}
