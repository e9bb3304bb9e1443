package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// Health is the answer of the health check.
type Health struct {
	Status  string `json:"status" enum:"ok" doc:"ok when the service can read its data." example:"ok"`
	Release string `json:"release" doc:"The release served by default." example:"1.0.0"`
}

// HealthInput is the (empty) input of getHealth.
type HealthInput struct{}

func (s *Server) registerSystem(api huma.API) {
	register(api, s, huma.Operation{
		OperationID: "getHealth",
		Method:      http.MethodGet,
		Path:        "/healthz",
		Tags:        []string{"System"},
		Summary:     "Check health",
		Description: "Reads the current release from the store: 200 when the service can serve data, 503 when its store is unavailable.",
	}, itemResponse[Health]("The service can serve data.", healthHeaders), []int{http.StatusUnprocessableEntity}, func(ctx context.Context, _ *HealthInput) (*Response, error) {
		r, err := s.store.Release(ctx, "")
		if err != nil {
			return nil, s.storeError(ctx, err)
		}
		body, _ := json.Marshal(Health{Status: "ok", Release: r.Version})
		return &Response{Status: http.StatusOK, ContentType: mediaJSON, CacheControl: "no-store", DatasetRelease: r.Version, Body: body}, nil
	})
}
