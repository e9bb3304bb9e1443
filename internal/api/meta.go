package api

import (
	"fmt"

	"github.com/jcdd/jcdd/internal/store"
)

// Meta describes where a list comes from and how to use it.
type Meta struct {
	Release    string `json:"release" doc:"Version of the release the items come from." example:"1.0.0"`
	ReleasedAt string `json:"released_at" doc:"Date that release was published." example:"2026-11-25"`
	Licence    string `json:"licence" doc:"Licence of the data, as an SPDX identifier." example:"CC-BY-4.0"`
	LicenceURL string `json:"licence_url" format:"uri" doc:"Text of the licence." example:"https://creativecommons.org/licenses/by/4.0/"`
	Citation   string `json:"citation" doc:"How to cite the release." example:"jcdd contributors (2026). Japan Cyber Defense Dataset (jcdd), release 1.0.0 [Data set]. Licensed under CC BY 4.0."`
}

// DataLicence is the licence of the dataset (the code is Apache-2.0).
const (
	DataLicence    = "CC-BY-4.0"
	DataLicenceURL = "https://creativecommons.org/licenses/by/4.0/"
)

// Citation is the recommended citation of a release.
func Citation(version, released string) string {
	return fmt.Sprintf("jcdd contributors (%s). Japan Cyber Defense Dataset (jcdd), release %s [Data set]. Licensed under CC BY 4.0.", released[:4], version)
}

func metaOf(r store.Release) Meta {
	return Meta{
		Release:    r.Version,
		ReleasedAt: r.Released,
		Licence:    DataLicence,
		LicenceURL: DataLicenceURL,
		Citation:   Citation(r.Version, r.Released),
	}
}
