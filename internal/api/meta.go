package api

import (
	"strconv"

	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// Meta describes where a list comes from and how to use it.
type Meta struct {
	Release    string `json:"release" doc:"Version of the release the items come from." example:"1.0.0"`
	ReleasedAt string `json:"released_at" doc:"Date that release was published." example:"2026-11-25"`
	Licence    string `json:"licence" doc:"Licence of the data, as an SPDX identifier." example:"CC-BY-4.0"`
	LicenceURL string `json:"licence_url" format:"uri" doc:"Text of the licence." example:"https://creativecommons.org/licenses/by/4.0/"`
	Citation   string `json:"citation" doc:"How to cite the release." example:"jcdd contributors. (2026). Japan Cyber Defense Dataset (jcdd) (Version 1.0.0) [Data set]. https://github.com/jcdd/jcdd"`
}

// ListMeta is the Meta of a list, with how many records match its filters.
type ListMeta struct {
	Meta
	Total      *int `json:"total,omitempty" minimum:"0" doc:"How many records match the filters, across every page. Absent only when total_exact is false." example:"12"`
	TotalExact bool `json:"total_exact" doc:"True when total is given. False, with total absent, where counting would cost the data store more than reading the page: a combination of filters (or q) that no count made with the release covers, on a data store that cannot count it as cheaply; a single filter value, or none, is always counted." example:"true"`
}

// appendListMetaEnd appends what a ListMeta adds to the Meta whose JSON,
// without its closing brace, ends dst: the total, and the brace. The
// encoded Meta of a release is made once per release; with this, it makes
// the JSON of a list's ListMeta, the same bytes as json.Marshal gives.
func appendListMetaEnd(dst []byte, total *int) []byte {
	if total != nil {
		dst = append(dst, `,"total":`...)
		dst = strconv.AppendInt(dst, int64(*total), 10)
		return append(dst, `,"total_exact":true}`...)
	}
	return append(dst, `,"total_exact":false}`...)
}

func metaOf(r store.Release) Meta {
	return Meta{
		Release:    r.Version,
		ReleasedAt: r.Released,
		Licence:    export.LicenceID,
		LicenceURL: export.LicenceURL,
		Citation:   export.CitationAPA(r.ReleaseInfo),
	}
}
