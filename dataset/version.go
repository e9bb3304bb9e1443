package dataset

import (
	"regexp"
	"strconv"
	"strings"
)

// versionPattern is the form of a release version: MAJOR.MINOR.PATCH, the
// same pattern ReleaseInfo.Version is validated with.
var versionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

// IsVersion reports whether s is a release version (MAJOR.MINOR.PATCH).
func IsVersion(s string) bool { return versionPattern.MatchString(s) }

// DevSuffix marks the version under which a working copy that is not
// published yet is served (1.2.0-dev): a published version names one set of
// files only, so the files in progress never borrow it.
const DevSuffix = "-dev"

// IsDev reports whether a version is that of a working copy in progress.
func IsDev(v string) bool { return strings.HasSuffix(v, DevSuffix) }

// CompareVersions orders release versions numerically, part by part, so that
// 1.10.0 comes after 1.9.0; a version in progress (1.2.0-dev) comes after
// every published one before it and before its own release. It returns -1,
// 0 or +1.
func CompareVersions(a, b string) int {
	if c := compareNumbers(strings.TrimSuffix(a, DevSuffix), strings.TrimSuffix(b, DevSuffix)); c != 0 {
		return c
	}
	switch da, db := IsDev(a), IsDev(b); {
	case da && !db:
		return -1
	case db && !da:
		return 1
	}
	return 0
}

func compareNumbers(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	switch {
	case len(pa) < len(pb):
		return -1
	case len(pa) > len(pb):
		return 1
	}
	return 0
}

// atLeast reports whether version is a release version no older than since:
// whether a rule introduced in release since applies to it.
func atLeast(version, since string) bool {
	return IsVersion(version) && CompareVersions(version, since) >= 0
}
