// Package dataset holds the Japan Cyber Defense Dataset: the record types, the
// YAML files they are edited in (embedded into every binary), and the loader
// that parses those files strictly and validates them.
//
// The struct tags on these types are the single source of truth for the shape
// of the data. The `doc`, `enum`, `pattern`, `minimum` and `example` tags feed
// the JSON Schemas under dataset/schema/ (which editors use while typing and
// which document every field), the loader's structural validation, and the
// API's OpenAPI description. A field without `omitempty` is required.
package dataset

// Text is a short piece of prose or a name, in English and, where it exists,
// in Japanese.
type Text struct {
	EN string `yaml:"en" json:"en" minLength:"1" doc:"English text." example:"Ministry of Defense"`
	// The doc tag is printed in every bundle's codebook: changing it would
	// change the bytes of published bundles. From release 1.2.0 the rules
	// are stricter than it says (see BilingualSince).
	JA string `yaml:"ja,omitempty" json:"ja,omitempty" doc:"Japanese text (kanji and kana), only where a source gives it." example:"防衛省"`
}

// SourceRef cites one source for a record, optionally pointing into it.
type SourceRef struct {
	Source  string `yaml:"source" json:"source" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the cited source (see sources)." example:"wapo-2023-08-07-china-hacked-japan"`
	Locator string `yaml:"locator,omitempty" json:"locator,omitempty" doc:"Where in the source the claim is made: a paragraph, page, heading or short description." example:"third paragraph"`
}

// Contradiction records a value that another source gives for a field of the
// record. The record keeps the value its own sources give; the contradiction
// keeps the other one, its sources and a note. Nothing is resolved by guessing.
type Contradiction struct {
	Field   string      `yaml:"field" json:"field" minLength:"1" doc:"Name of the field the sources disagree on." example:"occurred"`
	Value   string      `yaml:"value" json:"value" minLength:"1" doc:"The other value, as the other source gives it." example:"2020-06"`
	Sources []SourceRef `yaml:"sources" json:"sources" minItems:"1" doc:"The sources that give the other value."`
	Note    string      `yaml:"note" json:"note" minLength:"1" doc:"How the values differ and what may explain it, without a verdict the sources do not support."`
}

// Lifecycle is shared by every record kind: records are never deleted, a
// withdrawn record stays as a tombstone that may point to its replacement.
type Lifecycle struct {
	Status          string `yaml:"status,omitempty" json:"status,omitempty" enum:"active,withdrawn" doc:"active (the default) or withdrawn. A withdrawn record is kept as a tombstone so that its id is never reused." example:"active"`
	SupersededBy    string `yaml:"superseded_by,omitempty" json:"superseded_by,omitempty" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"For a withdrawn record: the id of the record of the same kind that replaces it." example:"pla-intrusion-japan-defense-networks"`
	WithdrawnReason string `yaml:"withdrawn_reason,omitempty" json:"withdrawn_reason,omitempty" doc:"For a withdrawn record: why it was withdrawn." example:"A duplicate of the record that supersedes it."`
}

// Withdrawn reports whether the record is a tombstone.
func (l Lifecycle) Withdrawn() bool { return l.Status == StatusWithdrawn }

// Record statuses.
const (
	StatusActive    = "active"
	StatusWithdrawn = "withdrawn"
)

// Event is something that happened: an intrusion, a briefing, a statement, a
// law, an appointment.
type Event struct {
	ID             string          `yaml:"id" json:"id" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Stable identifier: a kebab-case slug, never reused." example:"nsa-discovers-intrusion"`
	Title          Text            `yaml:"title" json:"title" doc:"One-line title."`
	Summary        Text            `yaml:"summary" json:"summary" doc:"What happened, in the dataset's own words."`
	Type           string          `yaml:"type" json:"type" enum:"intrusion,discovery,briefing,diplomatic-visit,diplomatic-call,statement,denial,report,leak,attribution,policy,legislation,organization-established,appointment,budget,other" doc:"The kind of event." example:"discovery"`
	Occurred       string          `yaml:"occurred" json:"occurred" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"When it happened: an ISO 8601 date or partial date (YYYY, YYYY-MM or YYYY-MM-DD). For a period or an uncertain window, the start." example:"2020-09"`
	OccurredTo     string          `yaml:"occurred_to,omitempty" json:"occurred_to,omitempty" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"End of the period (or of the uncertain window, see precision), as a full or partial date. Absent for a single date." example:"2020-11"`
	Precision      string          `yaml:"precision" json:"precision" enum:"day,month,season,year,window" doc:"How exactly the sources date it: day, month or year; season (the sources name only a season, and occurred..occurred_to span its months: spring 03-05, summer 06-08, fall 09-11, winter 12-02); window (it happened at an unknown point between occurred and occurred_to)." example:"season"`
	DisclosedOn    string          `yaml:"disclosed_on,omitempty" json:"disclosed_on,omitempty" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"When the public first learned of it, if later than it happened." example:"2023-08-07"`
	Actors         []EventActor    `yaml:"actors,omitempty" json:"actors,omitempty" doc:"Who took part, and in what role."`
	Countries      []string        `yaml:"countries,omitempty" json:"countries,omitempty" doc:"Countries involved, as ISO 3166-1 alpha-2 codes." example:"[\"JP\",\"US\"]"`
	Tags           []string        `yaml:"tags,omitempty" json:"tags,omitempty" doc:"Free kebab-case tags for grouping." example:"[\"core\",\"pla-intrusion\"]"`
	Confidence     string          `yaml:"confidence" json:"confidence" enum:"confirmed,reported,disputed" doc:"confirmed: on the record (an official statement, a law, the publication itself); reported: press accounts citing officials, usually anonymous; disputed: a party has denied it (see disputed_by)." example:"reported"`
	ConfidenceNote string          `yaml:"confidence_note,omitempty" json:"confidence_note,omitempty" doc:"Why the record has this confidence, and which parts of it are less certain."`
	DisputedBy     []string        `yaml:"disputed_by,omitempty" json:"disputed_by,omitempty" doc:"Ids of the actors who denied or rejected the claim." example:"[\"cn-mfa\"]"`
	Sources        []SourceRef     `yaml:"sources" json:"sources" minItems:"1" doc:"The sources this record rests on."`
	Related        []string        `yaml:"related,omitempty" json:"related,omitempty" doc:"Ids of related events." example:"[\"pla-intrusion-japan-defense-networks\"]"`
	Contradictions []Contradiction `yaml:"contradictions,omitempty" json:"contradictions,omitempty" doc:"Values other sources give for fields of this record."`
	Notes          string          `yaml:"notes,omitempty" json:"notes,omitempty" doc:"Anything else a reader should know: gaps, how a date was worked out."`
	Lifecycle      `yaml:",inline"`
}

// EventActor is an actor's part in an event.
type EventActor struct {
	Actor string `yaml:"actor" json:"actor" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the actor." example:"us-nsa"`
	Role  string `yaml:"role" json:"role" enum:"perpetrator,target,discoverer,messenger,recipient,spokesperson,author,publisher,investigator,decision-maker,subject,participant" doc:"The actor's part: perpetrator (who the sources say carried it out; see the event's confidence), target, discoverer, messenger (delivered a warning or briefing), recipient (received it), spokesperson, author, publisher, investigator, decision-maker, subject (the event is about them), participant." example:"discoverer"`
}

// Actor is a person, an agency, a unit, a state, a company, a newspaper or a
// group.
type Actor struct {
	ID             string          `yaml:"id" json:"id" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Stable identifier: a kebab-case slug, never reused." example:"us-nsa"`
	Kind           string          `yaml:"kind" json:"kind" enum:"person,government-agency,military-unit,state,company,media,organization,threat-group" doc:"What the actor is." example:"government-agency"`
	Name           Text            `yaml:"name" json:"name" doc:"Name in English and, for Japanese people and bodies where a source gives it, in Japanese."`
	Aliases        []string        `yaml:"aliases,omitempty" json:"aliases,omitempty" doc:"Other names and spellings, including abbreviations." example:"[\"NSA\"]"`
	Country        string          `yaml:"country,omitempty" json:"country,omitempty" pattern:"^[A-Z]{2}$" doc:"Country as an ISO 3166-1 alpha-2 code; absent where it is unknown or does not apply." example:"US"`
	Description    Text            `yaml:"description" json:"description" doc:"Who or what the actor is, in a sentence or two."`
	Roles          []Role          `yaml:"roles,omitempty" json:"roles,omitempty" doc:"Positions held over time, in date order."`
	Sources        []SourceRef     `yaml:"sources" json:"sources" minItems:"1" doc:"The sources this record rests on."`
	Contradictions []Contradiction `yaml:"contradictions,omitempty" json:"contradictions,omitempty" doc:"Values other sources give for fields of this record."`
	Notes          string          `yaml:"notes,omitempty" json:"notes,omitempty" doc:"Anything else a reader should know."`
	Lifecycle      `yaml:",inline"`
}

// Role is a position an actor held for a time.
type Role struct {
	Title        string      `yaml:"title" json:"title" minLength:"1" doc:"The position, in English." example:"Director, National Security Agency"`
	Organization string      `yaml:"organization,omitempty" json:"organization,omitempty" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the organization the position belongs to, where it is in the dataset." example:"us-nsa"`
	From         string      `yaml:"from,omitempty" json:"from,omitempty" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"Start, as a full or partial date; absent where no source gives it." example:"2018-05"`
	To           string      `yaml:"to,omitempty" json:"to,omitempty" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"End, as a full or partial date; absent while in post or where no source gives it." example:"2024-02-02"`
	Sources      []SourceRef `yaml:"sources,omitempty" json:"sources,omitempty" doc:"Sources for this role, where they differ from the actor's."`
	Note         string      `yaml:"note,omitempty" json:"note,omitempty" doc:"Qualifications, such as a date that was inferred."`
}

// BudgetLine is one amount of money in one budget document: a fiscal year's
// request, draft, initial or supplementary budget, or a multi-year plan.
type BudgetLine struct {
	ID              string          `yaml:"id" json:"id" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Stable identifier: a kebab-case slug, never reused." example:"mod-fy2022-initial"`
	FiscalYear      int             `yaml:"fiscal_year" json:"fiscal_year" minimum:"1990" maximum:"2100" doc:"Japanese fiscal year, named by the calendar year in which it starts (FY2023 runs from April 2023 to March 2024). For a plan, its first year." example:"2022"`
	FiscalYearTo    int             `yaml:"fiscal_year_to,omitempty" json:"fiscal_year_to,omitempty" minimum:"1990" maximum:"2100" doc:"For a multi-year plan only: its last fiscal year." example:"2027"`
	Agency          string          `yaml:"agency" json:"agency" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the actor whose budget this is (jp-government for whole-of-government totals)." example:"jp-mod"`
	Program         string          `yaml:"program,omitempty" json:"program,omitempty" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the program the money is for, where there is one." example:"sdf-cyber-workforce"`
	Title           Text            `yaml:"title" json:"title" doc:"What the line funds, as the source describes it."`
	Category        string          `yaml:"category" json:"category" enum:"cyber-total,cyber-item,defense-total" doc:"cyber-total: an agency's (or the government's) whole cyber budget for the year; cyber-item: one cyber item, which may be part of a total (see part_of); defense-total: a whole defense budget, as context for ratios." example:"cyber-total"`
	Stage           string          `yaml:"stage" json:"stage" enum:"request,draft,initial,supplementary,plan,spending" doc:"Budget stage, never mixed in sums: request (the ministry's budget request, late August), draft (the cabinet's draft, December), initial (the budget as enacted), supplementary, plan (a multi-year plan), spending (reported spending whose stage the source does not state)." example:"initial"`
	AmountJPY       int64           `yaml:"amount_jpy,omitempty" json:"amount_jpy,omitempty" minimum:"1" doc:"Amount in yen, as an integer (1 oku-yen = 100,000,000 yen). Absent only where the source gives a dollar figure alone." example:"34200000000"`
	AmountQualifier string          `yaml:"amount_qualifier,omitempty" json:"amount_qualifier,omitempty" enum:"exact,about,at-least" doc:"How the source states the amount: exact (the default), about, or at-least (\"more than\")." example:"about"`
	AmountUSD       int64           `yaml:"amount_usd,omitempty" json:"amount_usd,omitempty" minimum:"1" doc:"Amount in US dollars, only where the source itself states one; never converted by the dataset." example:"7000000000"`
	Basis           string          `yaml:"basis,omitempty" json:"basis,omitempty" enum:"contract,expenditure" doc:"Accounting basis where the source states it: contract (契約ベース) or expenditure (歳出ベース)." example:"contract"`
	PartOf          string          `yaml:"part_of,omitempty" json:"part_of,omitempty" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the budget line this amount is included in, so that sums do not count it twice." example:"gov-fy2020-request"`
	Confidence      string          `yaml:"confidence" json:"confidence" enum:"confirmed,reported,disputed" doc:"confirmed: an official document or a major outlet reporting one; reported: a secondary or relayed account; disputed: contradicted by another source (see contradictions)." example:"confirmed"`
	Sources         []SourceRef     `yaml:"sources" json:"sources" minItems:"1" doc:"The sources this record rests on."`
	Contradictions  []Contradiction `yaml:"contradictions,omitempty" json:"contradictions,omitempty" doc:"Values other sources give for fields of this record."`
	Notes           string          `yaml:"notes,omitempty" json:"notes,omitempty" doc:"Scope, definitions and caveats."`
	Lifecycle       `yaml:",inline"`
}

// Program is an organization, law, strategy, initiative or target, with
// metrics over time.
type Program struct {
	ID             string          `yaml:"id" json:"id" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Stable identifier: a kebab-case slug, never reused." example:"jsdf-cyber-defense-command"`
	Name           Text            `yaml:"name" json:"name" doc:"Name in English and, where a source gives it, in Japanese."`
	Agency         string          `yaml:"agency" json:"agency" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the actor responsible for it." example:"jp-mod"`
	Kind           string          `yaml:"kind" json:"kind" enum:"organization,law,strategy,initiative,target" doc:"What the program is." example:"organization"`
	Summary        Text            `yaml:"summary" json:"summary" doc:"What it is and does, in the dataset's own words."`
	Started        string          `yaml:"started,omitempty" json:"started,omitempty" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"When it started, was enacted or adopted, as a full or partial date." example:"2022-03-17"`
	Ended          string          `yaml:"ended,omitempty" json:"ended,omitempty" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"When it ended or was replaced, as a full or partial date." example:"2022-03-16"`
	State          string          `yaml:"state" json:"state" enum:"planned,active,in-force,superseded,abolished,completed,unknown" doc:"Its state as of the release date, as far as the sources show." example:"active"`
	SuccessorOf    string          `yaml:"successor_of,omitempty" json:"successor_of,omitempty" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Id of the program it replaced or grew out of." example:"sdf-service-certs"`
	Metrics        []Metric        `yaml:"metrics,omitempty" json:"metrics,omitempty" doc:"Measured or targeted values over time."`
	Events         []string        `yaml:"events,omitempty" json:"events,omitempty" doc:"Ids of events about this program." example:"[\"sdf-cyber-defense-command-launch\"]"`
	Sources        []SourceRef     `yaml:"sources" json:"sources" minItems:"1" doc:"The sources this record rests on."`
	Contradictions []Contradiction `yaml:"contradictions,omitempty" json:"contradictions,omitempty" doc:"Values other sources give for fields of this record."`
	Notes          string          `yaml:"notes,omitempty" json:"notes,omitempty" doc:"Anything else a reader should know."`
	Lifecycle      `yaml:",inline"`
}

// Metric is one dated value of a program: a head count, a target, an amount.
type Metric struct {
	Name       string      `yaml:"name" json:"name" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"What is measured, as a kebab-case key shared across programs." example:"cyber-personnel"`
	Value      float64     `yaml:"value" json:"value" minimum:"0" doc:"The value, in unit." example:"540"`
	Unit       string      `yaml:"unit" json:"unit" enum:"people,posts,jpy,attacks,targets,percent,count" doc:"Unit of value. Amounts of money are jpy and integer." example:"people"`
	Kind       string      `yaml:"kind" json:"kind" enum:"actual,target,plan" doc:"actual: a measured value; target: a goal set in a plan or law; plan: a value a budget or plan provides for." example:"actual"`
	Qualifier  string      `yaml:"qualifier,omitempty" json:"qualifier,omitempty" enum:"exact,about,at-least" doc:"How the source states the value: exact (the default), about, or at-least." example:"at-least"`
	AsOf       string      `yaml:"as_of,omitempty" json:"as_of,omitempty" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"The date the value refers to, as a full or partial date." example:"2020-09"`
	FiscalYear int         `yaml:"fiscal_year,omitempty" json:"fiscal_year,omitempty" minimum:"1990" maximum:"2100" doc:"The fiscal year the value refers to (for example the end of FY2023), where the source gives a fiscal year rather than a date." example:"2027"`
	Sources    []SourceRef `yaml:"sources" json:"sources" minItems:"1" doc:"The sources that give this value."`
	Note       string      `yaml:"note,omitempty" json:"note,omitempty" doc:"Scope of the figure and caveats."`
}

// Source is a document that records cite.
type Source struct {
	ID        string `yaml:"id" json:"id" pattern:"^[a-z0-9]+(-[a-z0-9]+)*$" doc:"Stable identifier: a kebab-case slug, never reused." example:"wapo-2023-08-07-china-hacked-japan"`
	URL       string `yaml:"url" json:"url" format:"uri" pattern:"^https?://" doc:"Where the document was read." example:"https://japannews.yomiuri.co.jp/news-services/washingtonpost/20230808-128280/"`
	Title     string `yaml:"title" json:"title" minLength:"1" doc:"Title as published; a description in square brackets where the page shows none." example:"China Hacked Japan's Sensitive Defense Networks, Officials Say"`
	Publisher string `yaml:"publisher" json:"publisher" minLength:"1" doc:"Who published it; for a copy or syndication, the original publisher first and the carrier after 'via'." example:"The Washington Post via The Japan News"`
	Published string `yaml:"published,omitempty" json:"published,omitempty" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"Publication date as a full or partial date; absent where the page does not show one." example:"2023-08-08"`
	Language  string `yaml:"language" json:"language" pattern:"^[a-z]{2}$" doc:"Language as an ISO 639-1 code." example:"en"`
	Kind      string `yaml:"kind" json:"kind" enum:"news,government,report,leak,reference,blog,forum,podcast" doc:"news (a news outlet or wire), government (an official publication), report (a think tank or research report), leak (leaked documents), reference (an encyclopedia or its mirror), blog, forum, podcast." example:"news"`
	Mirror    bool   `yaml:"mirror,omitempty" json:"mirror,omitempty" doc:"True when the page is a copy of the original on another site; records resting only on mirrors carry a lower confidence." example:"false"`
	Notes     string `yaml:"notes,omitempty" json:"notes,omitempty" doc:"Reliability and other caveats."`
	Lifecycle `yaml:",inline"`
}

// ReleaseInfo describes a release: release.yaml in the working copy.
type ReleaseInfo struct {
	Version  string `yaml:"version" json:"version" pattern:"^[0-9]+\\.[0-9]+\\.[0-9]+$" doc:"Semantic version: MAJOR for a schema break, MINOR for added records, PATCH for corrections." example:"1.0.0"`
	Released string `yaml:"released" json:"released" pattern:"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" doc:"Release date." example:"2026-11-25"`
	Summary  string `yaml:"summary" json:"summary" minLength:"1" doc:"What the release contains or changes."`
	// SummaryJA is optional in the type so that releases published before
	// it existed load as published; validation requires it from 1.2.0.
	SummaryJA string `yaml:"summary_ja,omitempty" json:"summary_ja,omitempty" doc:"The summary in Japanese (from release 1.2.0)."`
}
