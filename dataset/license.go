package dataset

import _ "embed"

// license is the text of the data licence (CC BY 4.0). The code has a
// licence of its own at the root of the repository.
//
//go:embed LICENSE
var license []byte

// License returns the text of the licence the data is published under, as it
// goes into every release bundle.
func License() []byte { return append([]byte(nil), license...) }
