package api

import (
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

func metaOf(r store.Release) Meta {
	return Meta{
		Release:    r.Version,
		ReleasedAt: r.Released,
		Licence:    export.LicenceID,
		LicenceURL: export.LicenceURL,
		Citation:   export.CitationAPA(r.ReleaseInfo),
	}
}
