package dataset

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestPublishedChanges pins what release 1.1.0 changed since 1.0.0, as its
// changelog records it: the changes endpoint, the CSV of changes and the
// DynamoDB loader all serve this list.
func TestPublishedChanges(t *testing.T) {
	rels, err := LoadFrozen(FrozenFS())
	if err != nil {
		t.Fatal(err)
	}
	var older, newer *Release
	for _, r := range rels {
		switch r.Info.Version {
		case "1.0.0":
			older = r
		case "1.1.0":
			newer = r
		}
	}
	if older == nil || newer == nil {
		t.Fatal("releases 1.0.0 and 1.1.0 are not both published")
	}
	c, err := Diff(older, newer)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range c.Kinds {
		for _, id := range k.Added {
			got = append(got, fmt.Sprintf("%s added %s", k.Kind, id))
		}
		for _, ch := range k.Changed {
			got = append(got, fmt.Sprintf("%s changed %s [%s]", k.Kind, ch.ID, strings.Join(ch.Fields, " ")))
		}
		for _, id := range k.Withdrawn {
			got = append(got, fmt.Sprintf("%s withdrawn %s", k.Kind, id))
		}
	}
	want := []string{
		"events added cyber-hq-orders-new-strategy-2025",
		"events added inglis-tokyo-forum-2026",
		"events added inglis-visits-japan-2022",
		"events added inglis-yomiuri-interview-2026",
		"events added ishiba-cabinet-cyber-security-minister",
		"events added kishida-biden-summit-2024",
		"events added okano-named-nss-chief",
		"events added security-clearance-system-starts",
		"events added sullivan-akiba-meeting-2024",
		"events added takaichi-cabinet-koizumi-defense",
		"events added us-japan-2plus2-tokyo-2021",
		"events added us-official-japan-information-security-2024",
		"events changed china-mfa-denies-mirrorface-findings [summary actors countries confidence confidence_note sources notes]",
		"events changed inglis-japan-trip-planned [status superseded_by withdrawn_reason]",
		"events changed npa-mirrorface-attribution [confidence_note]",
		"events changed us-national-cybersecurity-strategy [related]",
		"events changed us-warns-japan-mofa-telegram-breach [actors notes]",
		"events withdrawn inglis-japan-trip-planned",
		"actors added antony-blinken",
		"actors added guo-jiakun",
		"actors added jp-ciro",
		"actors added jp-psia",
		"actors added keidanren",
		"actors added shinjiro-koizumi",
		"actors added toshimitsu-motegi",
		"actors changed chris-inglis [description sources notes]",
		"budgets added def-fy2024-initial",
		"programs changed nco [metrics]",
		"programs changed nisc [metrics]",
		"sources added anews-2025-10-21-takaichi-cabinet",
		"sources added daily8-2025-05-29-new-cyber-strategy",
		"sources added epochtimes-2025-12-27-fy2026-organization-review",
		"sources added globaltimes-2025-01-guo-jiakun-mirrorface",
		"sources added inkl-yomiuri-2021-03-2plus2-china-concerns",
		"sources added jiji-2022-12-20-inglis-japan-cyber-2chb",
		"sources added jmh-2021-03-17-2plus2-press-conference-gist",
		"sources added kantei-2024-04-10-japan-us-summit",
		"sources added kantei-2024-04-10-joint-press-conference",
		"sources added keidanren-2023-01-26-inglis-meeting",
		"sources added mof-2024-04-fy2024-defense-budget",
		"sources added newsonjapan-2025-05-16-security-clearance-tbs",
		"sources added nikkeiasia-2024-04-10-biden-kishida-global-order",
		"sources added risktaisaku-ishiba-cabinet-cyber-minister",
		"sources added sputnik-2021-03-16-us-japan-cyber-info-sharing-urdupoint",
		"sources added sputnik-2024-04-10-us-japan-intel-cooperation",
		"sources added sputnik-2025-10-21-takaichi-government",
		"sources added whitehouse-2024-10-25-sullivan-akiba-miragenews",
		"sources added yahoo-nco-cabinet-cyber-officer-plan",
		"sources added yomiuri-2025-01-19-akiba-announces-resignation",
		"sources added yomiuri-2025-10-14-koizumi-defense-planned",
		"sources added yomiuri-2025-10-22-takaichi-cabinet-party-unity",
		"sources added yomiuri-2026-03-05-inglis-tokyo-forum",
		"sources changed note-1ondo-fy2024-cyber-budget [url]",
		"sources changed seculligence-2024-04-01-cyber-school [url]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes 1.0.0 → 1.1.0:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The withdrawn event points at its replacement, which 1.1.0 adds.
	for _, e := range newer.Events {
		if e.ID == "inglis-japan-trip-planned" && (e.SupersededBy != "inglis-visits-japan-2022" || e.WithdrawnReason == "") {
			t.Errorf("tombstone %+v", e.Lifecycle)
		}
	}
}
